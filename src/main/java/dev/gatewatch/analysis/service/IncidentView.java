package dev.gatewatch.analysis.service;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An incident or episode as the API shows it.
 *
 * @param kind            suspect, deploy_blip, transient, outage, partial, degraded or flapping
 * @param status          suspected (inside the confirmation window), open, resolved
 * @param startedAt       the first failing (or slow) check
 * @param confirmedAt     when it became an alerting incident; null for blips and transients
 * @param durationSeconds from startedAt to resolvedAt, or to now while unresolved
 * @param lastPassAt      the last passing check before startedAt: the trouble began between the two
 * @param minDurationSeconds from startedAt to the last failing check: the shortest the trouble can have lasted; null
 *                        where lastPassAt is
 * @param maxDurationSeconds from lastPassAt to resolvedAt (or now): the longest the trouble can have lasted
 * @param scope           where: extent, regions, resolvers with the addresses they returned, CDN nodes
 * @param evidence        status codes, error classes, who generated the errors, sample checks (with result ids)
 * @param explanation     summary, layer, agreement, likely cause, first step
 * @param events          what happened, in order (only on the single-incident endpoint)
 */
public record IncidentView(long id, long monitorId, String monitorName, String track, String kind, String status,
                           Instant startedAt, Instant confirmedAt, Instant resolvedAt, long durationSeconds, Instant lastPassAt,
                           Long minDurationSeconds, Long maxDurationSeconds, String extent,
                           String summary, JsonNode scope, JsonNode evidence, JsonNode explanation, Long deploymentId,
                           List<EventView> events) {

    public record EventView(String type, String kind, Instant at, String summary) {
    }
}
