package dev.gatewatch.diagnosis.worker;

import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.api.NoticeListener;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.CheckTask;
import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.diagnosis.service.DiagnosisStore;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.target.AddressGate;
import dev.gatewatch.target.AddressPolicy;

/**
 * The checker's side of diagnoses: wakes on a notice for its region (or every poll interval, in case one was missed),
 * claims the region's waiting diagnoses and checks each through all its resolvers at once, storing every result as it
 * arrives so the page fills in. Its own probes, apart from the scheduled checks': a burst of diagnoses cannot delay a
 * monitor's check, and anonymous ones go through a gate that also refuses ports the operator did not allow.
 */
public final class DiagnosisTaker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DiagnosisTaker.class);
    /** How long past a check's own timeout a claim is held before another checker of the region may take it over. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(2);

    /**
     * @param node           names this taker in claims and results
     * @param checkTimeout   the longest a diagnosis's check takes: the claim's lease is this and a margin
     * @param anonymousPorts what diagnoses without an account may reach
     */
    public record Settings(String node, String region, int concurrency, Duration pollInterval, Duration checkTimeout,
                           Set<Integer> anonymousPorts, Probe.Settings probe) {
    }

    private final Settings settings;
    private final DiagnosisStore store;
    private final Probe ownerProbe;
    private final Probe anonymousProbe;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final FaultLog faults = new FaultLog(LOG, "diagnoses");
    private final ExecutorService writes;
    private final NoticeListener listener;
    private final Thread loop;
    private volatile boolean running = true;

    public DiagnosisTaker(DataSource dataSource, Vertx vertx, AddressGate guard, Settings settings) {
        this.settings = settings;
        this.store = new DiagnosisStore(dataSource);
        this.ownerProbe = new Probe(vertx, settings.probe(), guard);
        this.anonymousProbe = new Probe(vertx, settings.probe(), new PortGate(guard, settings.anonymousPorts()));
        this.writes = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "diagnosis-writes");
            t.setDaemon(true);
            return t;
        });
        this.listener = new NoticeListener(dataSource, DiagnosisStore.CHANNEL, "diagnosis-notices", LOG,
                "diagnoses are picked up every " + settings.pollInterval().toSeconds() + " s until it is back", payload -> {
                    if (settings.region().equals(payload)) {
                        wake.release();
                    }
                });
        this.loop = new Thread(this::run, "diagnosis-claims");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    @Override
    public void close() {
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
        while (running) {
            int free = settings.concurrency() - inFlight.get();
            if (free > 0) {
                try {
                    for (DiagnosisStore.Job job : store.claim(settings.region(), settings.node(), free,
                            settings.checkTimeout().plus(LEASE_MARGIN))) {
                        inFlight.incrementAndGet();
                        check(job).onComplete(ar -> {
                            inFlight.decrementAndGet();
                            wake.release();
                        });
                    }
                    faults.recovered(null);
                } catch (SQLException | RuntimeException e) {
                    faults.failed("cannot claim diagnoses (" + e.getMessage() + "); trying again in "
                            + settings.pollInterval().toSeconds() + " s");
                }
            }
            try {
                if (wake.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
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
            checks.add(probe.check(task, r, settings.node()).onSuccess(result -> write(() -> store.record(job.id(), result))));
        }
        return Future.join(checks).eventually(() -> {
            write(() -> store.done(job.id(), job.region(), settings.node()));
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
    record PortGate(AddressGate inner, Set<Integer> ports) implements AddressGate {

        @Override
        public Optional<AddressPolicy.Refusal> classify(InetAddress address) {
            return inner.classify(address);
        }

        @Override
        public Optional<AddressPolicy.Refusal> classify(InetAddress address, int port) {
            if (!ports.contains(port)) {
                String why = "on port " + port + ", which a diagnosis without an account may not reach";
                return Optional.of(new AddressPolicy.Refusal(why, why));
            }
            return inner.classify(address, port);
        }

        @Override
        public Optional<AddressPolicy.Refusal> classifyResolver(InetAddress address, int port) {
            return inner.classifyResolver(address, port);
        }
    }
}
