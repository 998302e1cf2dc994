package dev.gatewatch.check.schedule;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.api.Sql;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.CheckTask;
import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.monitor.validation.ResolverSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One checker: claims due slots of its region from PostgreSQL, starts each on time, runs one probe per resolver and
 * hands the results (with the slot's completion) to the result writer. Several engines of one region share the work
 * through the claims; the leases of a live engine are renewed, those of one that dies expire and are claimed by the
 * others. While PostgreSQL is unreachable the engine goes on checking the slots it holds ({@link LocalSchedule}); when
 * it is back, the buffered results are written before claiming starts again.
 */
public final class CheckerEngine {

    private static final Logger LOG = Logger.getLogger(CheckerEngine.class);
    /** New and edited monitors get their slot within this (their first check within two seconds)... */
    private static final Duration SYNC_EVERY = Duration.ofSeconds(2);
    /** ...by a sync of the monitors changed within this; every monitor is looked at every FULL_SYNC_EVERY. */
    private static final Duration SYNC_WINDOW = Duration.ofMinutes(1);
    private static final Duration FULL_SYNC_EVERY = Duration.ofMinutes(1);
    /** Slack for a next slot being claimed a little late, when deciding which held slots nobody else has taken. */
    private static final long HELD_GRACE_MS = 2_000;
    /** Longest wait for the backlog to be written after an outage before claiming anyway. */
    private static final Duration RESUME_LIMIT = Duration.ofMinutes(2);
    /** The writer counts as caught up when results have been stored within this (it flushes every 0.5 s). */
    private static final Duration CAUGHT_UP = Duration.ofSeconds(1);

    /**
     * @param maxInFlight slots being checked at once (each runs one check per resolver)
     * @param lease       how long a claim holds without renewal; renewed every quarter of it while this node lives
     * @param ownerShare  fraction of {@code maxInFlight} each owner is sure to get (see {@link OwnerShares})
     */
    public record Settings(String nodeId, String region, String host, String version, int maxInFlight,
            Duration pollInterval, Duration lookahead, int claimBatch, Duration lease, Duration heartbeatInterval,
            double ownerShare) {
    }

    /** Claiming from the database; checking held slots locally while it is away; writing the backlog before claiming. */
    private enum Mode { CLAIMING, LOCAL, RESUMING }

    private final Settings settings;
    private final ScheduleStore schedule;
    private final NodeRegistry nodes;
    private final Probe probe;
    private final ResultWriter writer;
    private final Vertx vertx;
    private final LongConsumer lagObserver;
    private final Consumer<CheckResult> checkObserver;
    private final OwnerShares shares;
    private final LocalSchedule local;
    private final FaultLog faults = new FaultLog(LOG, "checker");
    private final AtomicLong checksDone = new AtomicLong();
    private final AtomicLong localChecks = new AtomicLong();
    private final Object wake = new Object();
    private volatile boolean running;
    private volatile boolean halted;
    private volatile Mode mode = Mode.CLAIMING;
    /** The database's clock minus this host's, from the last claim. */
    private volatile long clockOffsetMs;
    private Instant lastContact = Instant.now();
    private Thread loop;
    private final CheckRate rate = new CheckRate(Duration.ofMinutes(1), Instant.now());

    /**
     * @param lagObserver told each slot's start lag in ms (start − due)
     * @param checkObserver told each check's result as it is handed to the writer
     */
    public CheckerEngine(Settings settings, ScheduleStore schedule, NodeRegistry nodes, Probe probe, ResultWriter writer,
            Vertx vertx, LongConsumer lagObserver, Consumer<CheckResult> checkObserver) {
        this.settings = settings;
        this.schedule = schedule;
        this.nodes = nodes;
        this.probe = probe;
        this.writer = writer;
        this.vertx = vertx;
        this.lagObserver = lagObserver;
        this.checkObserver = checkObserver;
        this.shares = new OwnerShares(settings.maxInFlight(), settings.ownerShare());
        this.local = new LocalSchedule(vertx, this::runHeld);
    }

    public String nodeId() {
        return settings.nodeId();
    }

    /** Slots held now (claimed and waiting to start, or being checked). */
    public int inFlight() {
        return shares.total();
    }

    /** Checks made while the database was unreachable, since start. */
    public long checksWhileDatabaseAway() {
        return localChecks.get();
    }

    /** Whether the database is unreachable for this checker right now (it checks the slots it holds meanwhile). */
    public boolean databaseAway() {
        return mode != Mode.CLAIMING;
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
        local.stop();
        synchronized (wake) {
            wake.notifyAll();
        }
        join();
        LOG.infof("checker %s stopping: finishing %d checks in flight (for up to %s), then writing their results", settings.nodeId(),
                shares.total(), grace);
        long deadline = System.nanoTime() + grace.toNanos();
        while (shares.total() > 0 && System.nanoTime() < deadline) {
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
        local.stop();
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
        long nextFullSync = 0;
        long nextHeartbeat = 0;
        long nextRenewal = 0;
        long resumingSince = 0;
        int failures = 0;
        boolean registered = false;
        while (running) {
            boolean full = false;
            try {
                long now = System.nanoTime();
                if (!registered) {
                    nodes.register(settings.nodeId(), settings.region(), settings.host(), settings.version());
                    registered = true;
                }
                if (mode != Mode.CLAIMING || now >= nextHeartbeat) {
                    registered = nodes.heartbeat(settings.nodeId(), load());
                    nextHeartbeat = now + settings.heartbeatInterval().toNanos();
                }
                if (now >= nextRenewal) {
                    schedule.renew(settings.nodeId(), settings.region(), settings.lease(), settings.lookahead());
                    nextRenewal = now + settings.lease().toNanos() / 4;
                }
                lastContact = Instant.now().plusMillis(clockOffsetMs);
                failures = 0;
                faults.recovered(null);
                if (mode == Mode.LOCAL) {
                    mode = Mode.RESUMING;
                    resumingSince = now;
                    writer.nudge(); // rather than at the end of its back-off
                    LOG.infof("checker %s reaches the database again: %d checks made meanwhile; writing %d results before claiming again",
                            settings.nodeId(), localChecks.get(), writer.buffered());
                }
                if (mode == Mode.RESUMING && !resumed(System.nanoTime() - resumingSince)) {
                    pause(settings.pollInterval().toMillis());
                    continue;
                }
                if (now >= nextSync) {
                    boolean fullSync = now >= nextFullSync;
                    schedule.sync(settings.region(), fullSync ? null : SYNC_WINDOW);
                    nextSync = now + SYNC_EVERY.toNanos();
                    if (fullSync) {
                        nextFullSync = now + FULL_SYNC_EVERY.toNanos();
                    }
                }
                int room = shares.room();
                if (room > 0) {
                    int limit = Math.min(room, settings.claimBatch());
                    List<Claim> claims = schedule.claim(settings.region(), settings.nodeId(), settings.lookahead(), settings.lease(),
                            limit, shares.saturated());
                    long claimedAt = System.currentTimeMillis();
                    List<Claim> overShare = new ArrayList<>();
                    for (Claim claim : claims) {
                        if (shares.admit(claim.ownerId())) {
                            begin(claim, claimedAt);
                        } else {
                            overShare.add(claim);
                        }
                    }
                    schedule.giveBack(overShare, settings.nodeId());
                    full = claims.size() == limit && overShare.isEmpty();
                }
            } catch (SQLException | RuntimeException e) {
                if (Sql.rolledBack(e)) {
                    // A conflict PostgreSQL settled by rolling this statement back: the database is there, try again.
                    LOG.debugf("schedule statement rolled back (%s); trying again", e.getMessage());
                    pause(settings.pollInterval().toMillis());
                    continue;
                }
                failures++;
                faults.failed("cannot reach the database (" + e.getMessage() + ")");
                if (mode != Mode.LOCAL) {
                    mode = Mode.LOCAL;
                    int held = local.start(lastContact, HELD_GRACE_MS, clockOffsetMs);
                    LOG.warnf("checker %s goes on checking the monitors it holds until the database is back (%d due next, %d in flight);"
                            + " results wait in memory (up to the writer's buffer limit)", settings.nodeId(), held, shares.total());
                }
            }
            if (!full) {
                pause(failures == 0 ? settings.pollInterval().toMillis() : Math.min(5000, 250L * (1L << Math.min(failures, 5))));
            }
        }
    }

    /**
     * Back from an outage: local slots go on until the backlog is (nearly) written, then stop, and claiming starts
     * again while the writer keeps storing.
     */
    private boolean resumed(long elapsedNanos) {
        boolean late = elapsedNanos > RESUME_LIMIT.toNanos();
        // writes go through again and little is left: the local timers stop only now, so no monitor waits meanwhile
        boolean caughtUp = writer.stalledFor().compareTo(CAUGHT_UP) < 0 && writer.buffered() < settings.claimBatch();
        if (local.active() && (caughtUp || late)) {
            local.stop();
        }
        // Not waiting for local checks still in flight (a slow target's can take its whole timeout): a slot claimed
        // again meanwhile is checked by the claim, and the local result, of an older epoch, is fenced out.
        if (!local.active() && (writer.stalledFor().compareTo(CAUGHT_UP) < 0 || late)) {
            mode = Mode.CLAIMING;
            LOG.infof("checker %s claims again", settings.nodeId());
            return true;
        }
        return false;
    }

    private NodeRegistry.Load load() {
        int perMinute = rate.perMinute(checksDone.get(), Instant.now());
        return new NodeRegistry.Load(shares.total(), perMinute, writer.buffered(), writer.dropped());
    }

    private void begin(Claim claim, long claimedAtMillis) {
        long offset = claim.databaseNow().toEpochMilli() - claimedAtMillis;
        clockOffsetMs = offset;
        CheckTask task = claim.task();
        local.taken(task.monitorId());
        CheckTask slot = task.withDueAt(Slots.standsFor(task.monitorId(), task.region(), task.intervalSeconds(), task.dueAt(),
                claim.databaseNow()));
        long localDue = slot.dueAt().toEpochMilli() - offset;
        long delay = localDue - System.currentTimeMillis();
        if (delay <= 0) {
            vertx.runOnContext(v -> execute(slot, claim.ownerId(), claim.epoch(), localDue, false));
        } else {
            vertx.setTimer(delay, id -> execute(slot, claim.ownerId(), claim.epoch(), localDue, false));
        }
    }

    /** A held slot due while the database is away. */
    private void runHeld(LocalSchedule.Held held) {
        shares.force(held.ownerId());
        execute(held.next(), held.ownerId(), held.epoch(), held.next().dueAt().toEpochMilli() - clockOffsetMs, true);
    }

    private void execute(CheckTask task, long ownerId, long epoch, long localDue, boolean held) {
        if (halted) {
            shares.release(ownerId);
            return;
        }
        lagObserver.accept(Math.max(0, System.currentTimeMillis() - localDue));
        List<Future<CheckResult>> checks = new ArrayList<>(task.resolvers().size());
        for (ResolverSpec resolver : task.resolvers()) {
            checks.add(probe.check(task, resolver, settings.nodeId()));
        }
        Future.join(checks).onComplete(ar -> {
            try {
                if (!halted) {
                    List<CheckResult> results = new ArrayList<>(checks.size());
                    checks.forEach(f -> results.add(f.result()));
                    results.forEach(checkObserver);
                    Instant next = Slots.next(task.monitorId(), task.region(), task.intervalSeconds(), task.dueAt(),
                            Instant.now().plusMillis(clockOffsetMs));
                    writer.submit(results, new Completion(task.monitorId(), task.region(), task.dueAt(), next, settings.nodeId(), epoch));
                    checksDone.addAndGet(results.size());
                    if (held) {
                        localChecks.addAndGet(results.size());
                    }
                    if (running) {
                        local.left(new LocalSchedule.Held(task.withDueAt(next), ownerId, epoch), clockOffsetMs);
                    }
                }
            } finally {
                shares.release(ownerId);
            }
        });
    }

    private void pause(long ms) {
        synchronized (wake) {
            try {
                wake.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
