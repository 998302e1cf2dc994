package dev.gatewatch.diagnosis.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.target.TargetGuard;

/** Runs a {@link DiagnosisTaker} on every node with the checker role, for its region. */
@ApplicationScoped
public class DiagnosisWorker {

    private final GatewatchConfig config;
    private final AgroalDataSource dataSource;
    private final Vertx vertx;
    private final TargetGuard guard;
    private DiagnosisTaker taker;

    public DiagnosisWorker(GatewatchConfig config, AgroalDataSource dataSource, Vertx vertx, TargetGuard guard) {
        this.config = config;
        this.dataSource = dataSource;
        this.vertx = vertx;
        this.guard = guard;
    }

    void start(@Observes StartupEvent event) {
        if (!config.roles().contains(GatewatchConfig.Role.checker)) {
            return;
        }
        var c = config.checker();
        var d = config.diagnosis();
        String node = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost") + "-diagnosis-"
                + UUID.randomUUID().toString().substring(0, 8);
        // a small share of threads: diagnoses are few, and must not take the scheduled checks' resolver threads
        var probe = new Probe.Settings(c.bodyLimit(), c.errorBodyLimit(), c.userAgent(),
                c.extraTrust().orElse(List.of()).stream().map(Path::of).toList(), 2, 1, c.assertionBudget());
        taker = new DiagnosisTaker(dataSource, vertx, guard, new DiagnosisTaker.Settings(node, c.region(), d.concurrency(),
                d.pollInterval(), d.checkTimeout(), d.anonymousPorts(), probe));
    }

    void stop(@Observes ShutdownEvent event) {
        if (taker != null) {
            taker.close();
        }
    }
}
