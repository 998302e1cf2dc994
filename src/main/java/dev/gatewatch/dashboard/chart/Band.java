package dev.gatewatch.dashboard.chart;

import java.time.Instant;

/**
 * A shaded stretch of time, such as an incident.
 *
 * @param severe an outage or partial outage (strong shade) rather than a deploy blip or transient (light shade)
 * @param title  the words for the tooltip and the data table; they name the kind too, so colour is never alone
 */
public record Band(Instant from, Instant to, boolean severe, String title) {
}
