package dev.gatewatch.check.schedule;

import java.time.Instant;

/**
 * A finished slot: the schedule row moves to {@code nextDue} (in fast confirmation, to {@code due} plus the fast
 * interval, or now if that has passed) and its lease is released, and the slot's results are stored, only if the row
 * still has the lease epoch this checker claimed it with (nobody claimed it since).
 *
 * @param due the slot this check stood for
 */
public record Completion(long monitorId, String region, Instant due, Instant nextDue, String nodeId, long epoch) {
}
