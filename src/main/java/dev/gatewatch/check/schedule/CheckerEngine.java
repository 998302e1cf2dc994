package dev.gatewatch.check.schedule;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.monitor.validation.ResolverSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One checker: claims due slots of its region from PostgreSQL, starts each on time, runs one probe per resolver and
 * hands the results (with the slot's completion) to the result writer. Several engines of one region share the work
 * through the claims; one that dies leaves leases that expire and are claimed by the others.
 */
public final class CheckerEngine {

    private static final Logger LOG = Logger.getLogger(CheckerEngine.class);
    private static final Duration SYNC_EVERY = Duration.ofSeconds(2);

    /**
     * @param maxInFlight slots being checked at once (each runs one check per resolver)
     */
    public record Settings(String nodeId, String region, String host, String version, int maxInFlight,
            Duration pollInterval, Duration lookahead, int claimBatch, Duration lease, Duration heartbeatInterval) {
    }

    private final Settings settings;
    private final ScheduleStore schedule;
    private final NodeRegistry nodes;
    private final Probe probe;
    private final ResultWriter writer;
    private final Vertx vertx;
    private final LongConsumer lagObserver;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong checksDone = new AtomicLong();
    private final Object wake = new Object();
    private volatile boolean running;
    private volatile boolean halted;
    private Thread loop;
    private long lastCountForRate;
    private Instant lastRateAt = Instant.now();

    /** @param lagObserver told each slot's start lag in ms (start − due) */
    public CheckerEngine(Settings settings, ScheduleStore schedule, NodeRegistry nodes, Probe probe, ResultWriter writer,
            Vertx vertx, LongConsumer lagObserver) {
        this.settings = settings;
        this.schedule = schedule;
        this.nodes = nodes;
        this.probe = probe;
        this.writer = writer;
        this.vertx = vertx;
        this.lagObserver = lagObserver;
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = new Thread(this::run, "checker-" + settings.region());
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * Clean stop: no new claims, in-flight checks finish (up to {@code grace}), results are written, held slots are
     * released and the node is marked stopped.
     */
    public void stop(Duration grace) {
        if (!running) {
            return;
        }
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        join();
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        writer.flush(grace);
        try {
            schedule.release(settings.nodeId());
            nodes.stopped(settings.nodeId());
        } catch (SQLException e) {
            LOG.warnf("checker %s could not release its slots (they expire with their lease): %s", settings.nodeId(), e.getMessage());
        }
    }

    /**
     * Stops at once, like a crash: nothing in flight is written and held slots stay leased until the lease expires,
     * when other checkers of the region take them over.
     */
    public void halt() {
        halted = true;
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        join();
    }

    private void join() {
        try {
            if (loop != null) {
                loop.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long nextSync = 0;
        long nextHeartbeat = 0;
        int failures = 0;
        try {
            nodes.register(settings.nodeId(), settings.region(), settings.host(), settings.version());
        } catch (SQLException e) {
            LOG.warnf("checker %s cannot register yet: %s", settings.nodeId(), e.getMessage());
        }
        while (running) {
            boolean full = false;
            try {
                long now = System.nanoTime();
                if (now >= nextHeartbeat) {
                    nodes.heartbeat(settings.nodeId(), load());
                    nextHeartbeat = now + settings.heartbeatInterval().toNanos();
                }
                if (now >= nextSync) {
                    schedule.sync(settings.region());
                    nextSync = now + SYNC_EVERY.toNanos();
                }
                int room = settings.maxInFlight() - inFlight.get();
                if (room > 0) {
                    int limit = Math.min(room, settings.claimBatch());
                    List<Claim> claims = schedule.claim(settings.region(), settings.nodeId(), settings.lookahead(), settings.lease(), limit);
                    long claimedAt = System.currentTimeMillis();
                    for (Claim claim : claims) {
                        begin(claim, claimedAt);
                    }
                    full = claims.size() == limit;
                }
                if (failures > 0) {
                    LOG.infof("checker %s reaches the database again", settings.nodeId());
                }
                failures = 0;
            } catch (SQLException | RuntimeException e) {
                if (failures++ == 0) {
                    LOG.warnf("checker %s cannot reach the database (%s); retrying, checks already claimed go on", settings.nodeId(), e.getMessage());
                }
            }
            if (!full) {
                long pause = failures == 0 ? settings.pollInterval().toMillis() : Math.min(5000, 250L * (1L << Math.min(failures, 5)));
                synchronized (wake) {
                    try {
                        wake.wait(pause);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private NodeRegistry.Load load() {
        Instant now = Instant.now();
        long done = checksDone.get();
        long seconds = Math.max(1, Duration.between(lastRateAt, now).toSeconds());
        int perMinute = (int) ((done - lastCountForRate) * 60 / seconds);
        lastCountForRate = done;
        lastRateAt = now;
        return new NodeRegistry.Load(inFlight.get(), perMinute, writer.buffered(), writer.dropped());
    }

    private void begin(Claim claim, long claimedAtMillis) {
        inFlight.incrementAndGet();
        long localDue = claimedAtMillis + Duration.between(claim.databaseNow(), claim.task().dueAt()).toMillis();
        long delay = localDue - System.currentTimeMillis();
        if (delay <= 0) {
            vertx.runOnContext(v -> execute(claim, localDue));
        } else {
            vertx.setTimer(delay, id -> execute(claim, localDue));
        }
    }

    private void execute(Claim claim, long localDue) {
        if (halted) {
            inFlight.decrementAndGet();
            return;
        }
        lagObserver.accept(Math.max(0, System.currentTimeMillis() - localDue));
        var task = claim.task();
        List<Future<CheckResult>> checks = new ArrayList<>(task.resolvers().size());
        for (ResolverSpec resolver : task.resolvers()) {
            checks.add(probe.check(task, resolver, settings.nodeId()));
        }
        Future.join(checks).onComplete(ar -> {
            try {
                if (!halted) {
                    List<CheckResult> results = new ArrayList<>(checks.size());
                    checks.forEach(f -> results.add(f.result()));
                    Instant next = Slots.next(task.monitorId(), task.region(), task.intervalSeconds(), task.dueAt(),
                            Instant.now().plusMillis(Duration.between(Instant.ofEpochMilli(localDue), task.dueAt()).toMillis()));
                    writer.submit(results, new Completion(task.monitorId(), task.region(), next, settings.nodeId()));
                    checksDone.addAndGet(results.size());
                }
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
