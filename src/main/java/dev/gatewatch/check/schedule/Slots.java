package dev.gatewatch.check.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * When a (monitor, region) is due. Each pair has a fixed phase inside its interval, derived from its ids, so ten
 * thousand monitors on a 30 s interval are spread over the 30 s instead of all firing at :00, and the spread survives
 * restarts and is the same on every checker.
 */
public final class Slots {

    private Slots() {
    }

    /** Offset of this pair's slots from the epoch, in [0, intervalMs). */
    public static long phaseMs(long monitorId, String region, long intervalMs) {
        long h = monitorId * 0x9E3779B97F4A7C15L ^ region.hashCode() * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return Math.floorMod(h, intervalMs);
    }

    /**
     * The slot after a check due at {@code due}: the first slot at least half an interval later and not in the past.
     * Slots missed while nobody could check (all checkers of the region down) are skipped, not run in a burst.
     */
    public static Instant next(long monitorId, String region, int intervalSeconds, Instant due, Instant now) {
        long interval = intervalSeconds * 1000L;
        long phase = phaseMs(monitorId, region, interval);
        long earliest = Math.max(due.toEpochMilli() + interval / 2, now.toEpochMilli());
        long k = Math.floorDiv(earliest - phase + interval - 1, interval);
        return Instant.ofEpochMilli(k * interval + phase);
    }

    /** The latest slot of this pair at or before {@code now}: what a check run now stands for, when its own slot is long gone. */
    public static Instant latest(long monitorId, String region, int intervalSeconds, Instant now) {
        long interval = intervalSeconds * 1000L;
        long phase = phaseMs(monitorId, region, interval);
        long k = Math.floorDiv(now.toEpochMilli() - phase, interval);
        return Instant.ofEpochMilli(k * interval + phase);
    }

    /**
     * The slot a check claimed now stands for: its own, unless that is over an interval gone (nobody could check it: a
     * region or the database was down), when it stands for the latest slot instead of replaying an old one.
     */
    public static Instant standsFor(long monitorId, String region, int intervalSeconds, Instant due, Instant now) {
        if (Duration.between(due, now).compareTo(Duration.ofSeconds(intervalSeconds)) <= 0) {
            return due;
        }
        return latest(monitorId, region, intervalSeconds, now);
    }
}
