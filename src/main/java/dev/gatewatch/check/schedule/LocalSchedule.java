package dev.gatewatch.check.schedule;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.gatewatch.check.CheckTask;
import io.vertx.core.Vertx;

/**
 * The slots this checker holds, so that it can go on checking them while PostgreSQL is away. Every slot this node
 * finishes leaves its monitor's next slot here; when the database goes away the next slots due since the last contact
 * (the ones nobody else has claimed) are run on local timers, each one leaving the next, until the database is back.
 * Monitors whose next slot was claimed by another checker, or that no checker held, wait for the database.
 */
final class LocalSchedule {

    /** A monitor's next slot as this node last left it: {@code next.dueAt()} on the database's clock. */
    record Held(CheckTask next, long ownerId, long epoch) {
    }

    private final Vertx vertx;
    private final Consumer<Held> run;
    private final Map<Long, Held> held = new HashMap<>();
    private final Map<Long, Long> timers = new HashMap<>();
    private boolean active;

    /** @param run starts a held slot (on a Vert.x context) when it is due */
    LocalSchedule(Vertx vertx, Consumer<Held> run) {
        this.vertx = vertx;
        this.run = run;
    }

    /** This node finished a slot and left the next one: kept, and run locally if the database is away. */
    synchronized void left(Held next, long clockOffsetMs) {
        held.put(next.next().monitorId(), next);
        if (active) {
            schedule(next, clockOffsetMs);
        }
    }

    /** A slot of this monitor is in flight here; it will leave its next one. */
    synchronized void taken(long monitorId) {
        held.remove(monitorId);
        Long timer = timers.remove(monitorId);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * The database is away: runs every held slot due since {@code lastContact} (database clock) minus {@code grace};
     * older ones went unclaimed by this node while the database was there, so another checker has them.
     */
    synchronized int start(Instant lastContact, long graceMs, long clockOffsetMs) {
        active = true;
        held.values().removeIf(h -> h.next().dueAt().isBefore(lastContact.minusMillis(graceMs)));
        for (Held h : List.copyOf(held.values())) {
            schedule(h, clockOffsetMs);
        }
        return held.size();
    }

    /** The database is back: no more local slots; the pending ones are left to claims. */
    synchronized void stop() {
        active = false;
        timers.values().forEach(vertx::cancelTimer);
        timers.clear();
    }

    synchronized boolean active() {
        return active;
    }

    private void schedule(Held h, long clockOffsetMs) {
        long monitorId = h.next().monitorId();
        long delay = h.next().dueAt().toEpochMilli() - clockOffsetMs - System.currentTimeMillis();
        Long old = timers.put(monitorId, vertx.setTimer(Math.max(1, delay), id -> fire(monitorId, id)));
        if (old != null) {
            vertx.cancelTimer(old);
        }
    }

    private void fire(long monitorId, long timerId) {
        Held h;
        synchronized (this) {
            if (!active || !Long.valueOf(timerId).equals(timers.get(monitorId))) {
                return;
            }
            timers.remove(monitorId);
            h = held.remove(monitorId);
        }
        if (h != null) {
            run.accept(h);
        }
    }
}
