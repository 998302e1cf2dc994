package dev.gatewatch.alerting.mute;

import java.time.Instant;

/** One stretch of time a window is on: [start, end). */
public record Occurrence(Instant start, Instant end) {

    public boolean covers(Instant at) {
        return !at.isBefore(start) && at.isBefore(end);
    }
}
