package dev.gatewatch.dashboard.model;

import java.time.Instant;

/**
 * An unresolved incident as the dashboard summarises it.
 *
 * @param kind    suspect, deploy_blip, transient, outage, partial, flapping or degraded
 * @param status  suspected or open
 * @param extent  where (whole, regions, resolver, address, cdn_node, mixed, latency)
 * @param summary the analyzer's one-line summary
 */
public record OpenIncident(long id, String track, String kind, String status, String extent, String summary, Instant startedAt) {

    /** "Partial outage", "Deploy blip", ...: the classification in words. */
    public String classification() {
        return classification(kind);
    }

    public static String classification(String kind) {
        return switch (kind) {
            case "outage" -> "Outage";
            case "partial" -> "Partial outage";
            case "flapping" -> "Flapping";
            case "degraded" -> "Slow responses";
            case "deploy_blip" -> "Deploy blip";
            case "transient" -> "Transient failure";
            default -> "Failing, confirming";
        };
    }
}
