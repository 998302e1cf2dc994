package dev.gatewatch.diagnosis.worker;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.api.NoticeListener;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.CheckTask;
import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.diagnosis.service.DiagnosisStore;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.target.AddressGate;
import dev.gatewatch.target.TargetGuard;

/**
 * The checker's side of diagnoses: wakes on a notice for its region (or every poll interval, in case one was missed),
 * claims the region's waiting diagnoses and checks each through all its resolvers at once, storing every result as it
 * arrives so the page fills in. Its own probes, apart from the scheduled checks': a burst of diagnoses cannot delay a
 * monitor's check, and anonymous ones go through a gate that also refuses ports the operator did not allow.
 */
@ApplicationScoped
public class DiagnosisWorker {

    private static final Logger LOG = Logger.getLogger(DiagnosisWorker.class);
    /** How long past a check's own timeout a claim is held before another checker of the region may take it over. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(2);

    private final GatewatchConfig config;
    private final AgroalDataSource dataSource;
    private final Vertx vertx;
    private final TargetGuard guard;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final FaultLog faults = new FaultLog(LOG, "diagnoses");
    private DiagnosisStore store;
    private Probe ownerProbe;
    private Probe anonymousProbe;
    private NoticeListener listener;
    private ExecutorService writes;
    private Thread loop;
    private volatile boolean running;
    private String node;
    private String region;

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
        store = new DiagnosisStore(dataSource);
        region = c.region();
        node = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost") + "-diagnosis-" + UUID.randomUUID().toString().substring(0, 8);
        var settings = new Probe.Settings(c.bodyLimit(), c.errorBodyLimit(), c.userAgent(),
                c.extraTrust().orElse(List.of()).stream().map(Path::of).toList(), 2, 1, c.assertionBudget());
        ownerProbe = new Probe(vertx, settings, guard);
        anonymousProbe = new Probe(vertx, settings, new PortGate(guard, config.diagnosis().anonymousPorts()));
        writes = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "diagnosis-writes");
            t.setDaemon(true);
            return t;
        });
        running = true;
        listener = new NoticeListener(dataSource, DiagnosisStore.CHANNEL, "diagnosis-notices", LOG,
                "diagnoses are picked up every " + config.diagnosis().pollInterval().toSeconds() + " s until it is back", payload -> {
                    if (region.equals(payload)) {
                        wake.release();
                    }
                });
        loop = new Thread(this::run, "diagnosis-claims");
        loop.setDaemon(true);
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        wake.release();
        listener.close();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writes.shutdown();
        ownerProbe.close();
        anonymousProbe.close();
    }

    private void run() {
        var d = config.diagnosis();
        while (running) {
            int free = d.concurrency() - inFlight.get();
            if (free > 0) {
                try {
                    Duration lease = d.checkTimeout().plus(LEASE_MARGIN);
                    for (DiagnosisStore.Job job : store.claim(region, node, free, lease)) {
                        inFlight.incrementAndGet();
                        check(job).onComplete(ar -> {
                            inFlight.decrementAndGet();
                            wake.release();
                        });
                    }
                    faults.recovered(null);
                } catch (SQLException | RuntimeException e) {
                    faults.failed("cannot claim diagnoses (" + e.getMessage() + "); trying again in "
                            + d.pollInterval().toSeconds() + " s");
                }
            }
            try {
                if (wake.tryAcquire(d.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Every resolver at once; each result is stored as it comes, and the region marked done when all are in. */
    private Future<Void> check(DiagnosisStore.Job job) {
        List<ResolverSpec> resolvers = job.resolvers().stream().map(ResolverSpec::parse).toList();
        CheckTask task = job.probe().task(job.region(), resolvers, Instant.now());
        Probe probe = job.probe().anonymous() ? anonymousProbe : ownerProbe;
        List<Future<CheckResult>> checks = new ArrayList<>();
        for (ResolverSpec r : resolvers) {
            checks.add(probe.check(task, r, node).onSuccess(result -> write(() -> store.record(job.id(), result))));
        }
        return Future.join(checks).eventually(() -> {
            write(() -> store.done(job.id(), job.region(), node));
            return Future.succeededFuture();
        }).mapEmpty();
    }

    private interface Write {
        void run() throws SQLException;
    }

    /** Off the event loop, in order; a result the database does not take is lost (the page shows the region as silent). */
    private void write(Write w) {
        writes.execute(() -> {
            try {
                w.run();
            } catch (SQLException | RuntimeException e) {
                faults.failed("cannot store a diagnosis result (" + e.getMessage() + ")");
            }
        });
    }

    /** The guard, plus only the allowed ports for diagnoses asked without an account. */
    record PortGate(AddressGate inner, java.util.Set<Integer> ports) implements AddressGate {

        @Override
        public Optional<dev.gatewatch.target.AddressPolicy.Refusal> classify(java.net.InetAddress address) {
            return inner.classify(address);
        }

        @Override
        public Optional<dev.gatewatch.target.AddressPolicy.Refusal> classify(java.net.InetAddress address, int port) {
            if (!ports.contains(port)) {
                String why = "on port " + port + ", which a diagnosis without an account may not reach";
                return Optional.of(new dev.gatewatch.target.AddressPolicy.Refusal(why, why));
            }
            return inner.classify(address, port);
        }

        @Override
        public Optional<dev.gatewatch.target.AddressPolicy.Refusal> classifyResolver(java.net.InetAddress address, int port) {
            return inner.classifyResolver(address, port);
        }
    }
}
