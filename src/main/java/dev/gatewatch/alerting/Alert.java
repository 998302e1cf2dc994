package dev.gatewatch.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import dev.gatewatch.analysis.model.Evidence;
import dev.gatewatch.analysis.model.Explanation;
import dev.gatewatch.analysis.model.Lasted;
import dev.gatewatch.analysis.model.Scope;
import dev.gatewatch.api.Durations;

/**
 * What one alert says: an incident event with the incident as it stood, ready for any channel to render.
 *
 * @param event        opened, escalated, recovered, reminder (or test)
 * @param kind         outage, partial, degraded, flapping
 * @param dashboardUrl where the owner sees the incident
 * @param heldBy       the maintenance window or silence that held this alert back until now, if one did
 */
public record Alert(String event, long incidentId, long monitorId, String monitorName, String monitorUrl, String kind,
                    Instant startedAt, Instant resolvedAt, Scope scope, Evidence evidence, Explanation explanation,
                    String dashboardUrl, Instant at, String heldBy) {

    /** "Held back by maintenance window "DB upgrade"; sent when it ended.", or null. */
    public String heldNote() {
        return heldBy == null ? null : "Held back by " + heldBy + "; sent when it ended.";
    }

    public boolean recovered() {
        return event.equals("recovered");
    }

    /** The host of the monitored URL, used in subjects and titles. */
    public String host() {
        return hostOf(monitorUrl, monitorName);
    }

    /** The host of a monitored URL, or {@code fallback} (the monitor's name) if it has none. */
    public static String hostOf(String url, String fallback) {
        try {
            String h = java.net.URI.create(url).getHost();
            return h == null ? fallback : h;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** DOWN, PARTIAL, DEGRADED, FLAPPING or RECOVERED: the tag in subjects. */
    public String tag() {
        if (recovered()) {
            return "RECOVERED";
        }
        return switch (kind) {
            case "outage" -> "DOWN";
            default -> kind.toUpperCase(Locale.ROOT);
        };
    }

    /** "outage in 3/3 regions", "partial outage: resolver 8.8.8.8 (…)", "outage over after 3 min 20 s". */
    public String headline() {
        if (recovered()) {
            return kind + " over after " + Durations.words(Duration.between(startedAt, resolvedAt != null ? resolvedAt : at));
        }
        if (event.equals("reminder")) {
            return "still " + (kind.equals("outage") ? "down" : kind) + " after " + Durations.words(Duration.between(startedAt, at))
                    + " (" + state() + ")";
        }
        return state();
    }

    private String state() {
        int failing = scope.regions().size();
        int live = scope.liveRegions().size();
        return switch (kind) {
            case "outage" -> "outage in " + failing + "/" + live + (live == 1 ? " region" : " regions");
            case "partial" -> "partial outage: " + scope.label();
            case "degraded" -> "slow responses in " + failing + "/" + live + (live == 1 ? " region" : " regions");
            case "flapping" -> "flapping between up and down";
            default -> kind;
        };
    }

    /** critical for outages, warning for partial/degraded/flapping, ok for recoveries. */
    public String severity() {
        if (recovered()) {
            return "ok";
        }
        return kind.equals("outage") ? "critical" : "warning";
    }

    /**
     * How long it lasted, for the Duration field of a recovery: the bounds the checks give ("1 min 10 s – 1 min 30 s"),
     * or first failure to recovery where no passing check came before.
     */
    public String duration() {
        Instant end = resolvedAt != null ? resolvedAt : at;
        return evidence.lastPassAt() == null ? Durations.words(Duration.between(startedAt, end))
                : Lasted.of(evidence.lastPassAt(), startedAt, evidence.lastFailure(), end).words();
    }
}
