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
     * The slot after a check due at {@code due}: the first slot at least half an interval later. A check that ran
     * longer than its interval (a timeout as long as the interval) keeps its next slot, which then starts at once, rather
     * than losing it; a slot over half an interval gone (nobody could check: all checkers of the region down) is
     * skipped for the first one not in the past, not run late.
     */
    public static Instant next(long monitorId, String region, int intervalSeconds, Instant due, Instant now) {
        long interval = intervalSeconds * 1000L;
        long phase = phaseMs(monitorId, region, interval);
        long slot = firstAtOrAfter(due.toEpochMilli() + interval / 2, phase, interval);
        return Instant.ofEpochMilli(slot < now.toEpochMilli() - interval / 2 ? firstAtOrAfter(now.toEpochMilli(), phase, interval) : slot);
    }

    private static long firstAtOrAfter(long earliest, long phase, long interval) {
        return Math.floorDiv(earliest - phase + interval - 1, interval) * interval + phase;
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

    /**
     * The timeout a check runs with: the monitor's, but ending a second before its next slot (a tenth of the interval
     * for intervals under 10 s; at least 1 s), so that a check that times out leaves time to store its result and claim
     * the next slot, which would otherwise start late.
     */
    public static int timeoutWithin(int timeoutMs, int intervalSeconds) {
        int interval = intervalSeconds * 1000;
        return Math.min(timeoutMs, Math.max(1000, interval - Math.min(1000, interval / 10)));
    }
}
