package dev.gatewatch.alerting.outbox;

import java.time.Duration;

import dev.gatewatch.alerting.Outcome;

/**
 * When an alert is tried again. The receiver's Retry-After if it gave one (at most {@code max}); after an unconfirmed
 * send to a receiver without idempotency, {@code unconfirmed} × 2^(unconfirmed sends − 1), since the message may
 * already be posted; otherwise {@code initial} × 2^(attempt − 1). Both capped at {@code max}, plus up to 25% jitter.
 */
record Backoff(Duration initial, Duration max, Duration unconfirmed) {

    /**
     * @param attempt          the attempt that just ended, 1 for the first
     * @param idempotent       whether the receiver drops repeats (an idempotency key)
     * @param unconfirmedSends unconfirmed sends of this alert so far, the one that just ended included
     * @param jitter           a number in [0, 1), drawn by the caller
     */
    Duration after(int attempt, Outcome outcome, boolean idempotent, int unconfirmedSends, double jitter) {
        if (outcome.retryAfter() != null) {
            return outcome.retryAfter().compareTo(max) > 0 ? max : outcome.retryAfter();
        }
        boolean careful = outcome.unconfirmed() && !idempotent;
        long first = careful ? unconfirmed.toMillis() : initial.toMillis();
        int doublings = Math.min(20, Math.max(0, (careful ? unconfirmedSends : attempt) - 1));
        long capped = Math.min(first << doublings, max.toMillis());
        return Duration.ofMillis(capped + (long) (capped * 0.25 * jitter));
    }
}
