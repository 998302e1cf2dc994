package dev.gatewatch.dashboard.chart;

import java.time.Instant;

/**
 * One value of a series at the start of its time bucket.
 *
 * @param detail extra words for the tooltip ("p95 210 ms, 60 checks, 1 failed"), or null
 */
public record Point(Instant at, int value, String detail) {
}
