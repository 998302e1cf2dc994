package dev.gatewatch.analysis.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A deployment marker posted by a CI/CD pipeline. Failures while it is in force are a deploy, not an outage.
 *
 * @param end      when the pipeline said it finished; null while running
 * @param expected how long the pipeline expects it to take; null if not said
 */
public record Deployment(long id, Instant start, Instant end, Duration expected) {

    /** Until when failures count as this deploy: its end, else start + expected, else start + the default limit. */
    public Instant limit(Duration defaultLimit) {
        if (end != null) {
            return end;
        }
        return start.plus(expected != null ? expected : defaultLimit);
    }

    /** Whether the marker is in force at any moment of [from, to]. */
    public boolean covers(Instant from, Instant to, Duration defaultLimit) {
        return !start.isAfter(to) && !limit(defaultLimit).isBefore(from);
    }
}
