package dev.gatewatch.check;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.postgresql.ds.PGSimpleDataSource;

import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.check.schedule.CheckerEngine;
import dev.gatewatch.check.schedule.NodeRegistry;
import dev.gatewatch.check.schedule.ScheduleStore;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.target.AddressPolicy;
import io.vertx.core.Vertx;

/**
 * A checker of its own in a JVM of its own, for {@link CheckerProcessesTest}: args are the JDBC URL, user, password,
 * region, node id and lease in ms. Prints {@code ready} once it checks; SIGTERM stops it cleanly (its shutdown hook
 * finishes the checks in flight and writes every result, then prints {@code stopped}), SIGKILL like a crash; it takes
 * its region's diagnoses too, as a checker node does. Targets
 * outside loopback are refused.
 */
public final class CheckerProcess {

    private CheckerProcess() {
    }

    /** Loopback only. */
    private static dev.gatewatch.target.AddressGate probeGate() {
        return address -> address.isLoopbackAddress() ? Optional.empty()
                : Optional.of(new AddressPolicy.Refusal("an address outside loopback", "address outside loopback"));
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        ds.setUser(args[1]);
        ds.setPassword(args[2]);
        Vertx vertx = Vertx.vertx();
        Probe probe = new Probe(vertx, new Probe.Settings(65536, 2048, "test", List.of(), 4, 2, Duration.ofSeconds(2)), probeGate());
        ResultWriter writer = new ResultWriter(ds, new ResultWriter.Settings(500, Duration.ofMillis(200), 10_000), () -> { });
        CheckerEngine engine = new CheckerEngine(new CheckerEngine.Settings(args[4], args[3], "test-host", "test", 100,
                Duration.ofMillis(100), Duration.ofMillis(300), 200, Duration.ofMillis(Long.parseLong(args[5])), Duration.ofSeconds(1),
                0.25), new ScheduleStore(ds), new NodeRegistry(ds), probe, writer, vertx, lag -> { }, r -> { });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.stop(Duration.ofSeconds(15));
            writer.close();
            System.out.println("stopped written=" + writer.written() + " waiting=" + writer.buffered());
            System.out.flush();
        }, "checker-process-stop"));
        engine.start();
        // and the region's diagnoses, as a checker node takes them
        var diagnoses = new dev.gatewatch.diagnosis.worker.DiagnosisTaker(ds, vertx, probeGate(), new dev.gatewatch.diagnosis.worker.DiagnosisTaker.Settings(
                args[4] + "-diagnosis", args[3], 4, Duration.ofSeconds(5), Duration.ofSeconds(8), java.util.Set.of(80, 443),
                new Probe.Settings(65536, 2048, "test", List.of(), 2, 1, Duration.ofSeconds(2))));
        Runtime.getRuntime().addShutdownHook(new Thread(diagnoses::close, "checker-process-diagnoses-stop"));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
