package dev.gatewatch.check.schedule;

import java.time.Instant;

/** A finished slot: the schedule row moves to {@code nextDue} and its lease is released, if this node still holds it. */
public record Completion(long monitorId, String region, Instant nextDue, String nodeId) {
}
