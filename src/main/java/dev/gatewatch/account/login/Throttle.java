package dev.gatewatch.account.login;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a subject (an account or a client address) with failed logins must wait before its next try: a number of
 * free failures, then a wait doubling from 1 s with each further one, capped at a temporary lock. Failures older than
 * {@code forgetAfter} are forgotten. Every try counts as a failure until it succeeds, so concurrent tries cannot all
 * slip in before the first of them is counted.
 *
 * @param freeFailures failures allowed before the first wait
 * @param maxLock      the longest wait
 * @param forgetAfter  failures whose last one is older than this start over
 */
public record Throttle(int freeFailures, Duration maxLock, Duration forgetAfter) {

    /** A subject's failed tries as stored. */
    public record Record(int failures, Instant lastFailureAt, Instant lockedUntil) {
        public static final Record NONE = new Record(0, Instant.EPOCH, null);
    }

    /** How long {@code r} must still wait at {@code now}: zero when it may try. */
    public Duration waitLeft(Record r, Instant now) {
        return r.lockedUntil() == null || !r.lockedUntil().isAfter(now) ? Duration.ZERO : Duration.between(now, r.lockedUntil());
    }

    /** The record after one more try at {@code now} (counted as failed until it succeeds). */
    public Record tried(Record r, Instant now) {
        int failures = forgotten(r, now) ? 1 : Math.min(r.failures(), Integer.MAX_VALUE - 1) + 1;
        Duration wait = waitAfter(failures);
        return new Record(failures, now, wait.isZero() ? null : now.plus(wait));
    }

    /** The wait that {@code failures} failures earn: none up to the free ones, then 1 s, 2 s, 4 s … up to the lock. */
    public Duration waitAfter(int failures) {
        int over = failures - freeFailures;
        if (over <= 0) {
            return Duration.ZERO;
        }
        // 2^(over-1) s, computed without overflow
        return over > 40 ? maxLock : min(Duration.ofSeconds(1L << (over - 1)), maxLock);
    }

    /** Whether {@code r}'s failures are old enough to be forgotten at {@code now}. */
    public boolean forgotten(Record r, Instant now) {
        return r.failures() == 0 || !r.lastFailureAt().plus(forgetAfter).isAfter(now)
                && (r.lockedUntil() == null || !r.lockedUntil().isAfter(now));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
