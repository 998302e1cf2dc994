package dev.gatewatch.dashboard.chart;

import java.time.Instant;

/**
 * A moment drawn as a vertical line, such as a deployment.
 *
 * @param label short text beside the line ("v1.8.0"), may be empty
 * @param title the whole story for the tooltip and the data table
 */
public record Marker(Instant at, String label, String title) {
}
