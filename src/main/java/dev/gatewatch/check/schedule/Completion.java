package dev.gatewatch.check.schedule;

import java.time.Instant;

/**
 * A finished slot: the schedule row moves to {@code nextDue} and its lease is released, and the slot's results are
 * stored, only if the row still has the lease epoch this checker claimed it with (nobody claimed it since).
 */
public record Completion(long monitorId, String region, Instant nextDue, String nodeId, long epoch) {
}
