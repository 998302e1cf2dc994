package dev.gatewatch.dashboard.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatewatch.analysis.service.IncidentView;
import dev.gatewatch.api.Durations;

/**
 * An incident or episode on the monitor page's timeline, with the analyzer's explanation and evidence unpacked from
 * its JSON (see {@code analysis.model.Scope}, {@code Evidence}, {@code Explanation}); missing fields are empty.
 *
 * @param duration    first failing check to recovery (or now)
 * @param minDuration first to last failing check: the least the trouble lasted; null if unknown
 * @param maxDuration last passing check to recovery (or now): the most the trouble lasted; null if unknown
 * @param addresses   per failing resolver, the addresses it returned
 * @param layers      who generated the error responses ("origin:nginx", "edge:cloudflare", "network"), with counts
 * @param samples     the first and latest failing checks the analyzer kept
 */
public record TimelineEntry(long id, String kind, String classification, String status, Instant startedAt, Instant resolvedAt,
                            Duration duration, Duration minDuration, Duration maxDuration, String extent, String summary, Explanation explanation,
                            List<String> regions, List<Addresses> addresses, List<String> healthyAddresses, List<String> pops,
                            List<String> healthyPops, List<String> statuses, List<String> errorClasses, List<Layer> layers,
                            List<Sample> samples, Long deploymentId, List<IncidentView.EventView> events) {

    public record Explanation(String layer, String agreement, String cause, String firstStep) {
        public boolean any() {
            return layer != null || agreement != null || cause != null || firstStep != null;
        }
    }

    public record Addresses(String resolver, List<String> addresses) {
    }

    public record Layer(String name, int count) {
    }

    /** A failing check kept as evidence: when, which stream, what failed, which address and CDN node answered. */
    public record Sample(Instant at, String region, String resolver, String failure, String ip, String pop, long resultId) {
    }

    /** Outages, partial outages, flapping and slow responses alert; blips, transients and suspicions do not. */
    public boolean severe() {
        return severe(kind);
    }

    public static boolean severe(String kind) {
        return switch (kind) {
            case "outage", "partial", "flapping", "degraded" -> true;
            default -> false;
        };
    }

    /** CSS tone: "severe" for alerting incidents, "light" for blips, transients and suspicions. */
    public String tone() {
        return severe() ? "severe" : "light";
    }

    public boolean open() {
        return resolvedAt == null;
    }

    /** "20–35 s" once over and bounded by passing checks, else first failure to recovery (or now): "3 min 20 s". */
    public String lasted() {
        return open() || minDuration == null || maxDuration == null ? Durations.words(duration)
                : Durations.range(minDuration, maxDuration);
    }

    public boolean hasEvidence() {
        return !regions.isEmpty() || !addresses.isEmpty() || !healthyAddresses.isEmpty() || !pops.isEmpty() || !healthyPops.isEmpty()
                || !statuses.isEmpty() || !errorClasses.isEmpty() || !layers.isEmpty() || !samples.isEmpty();
    }

    public static TimelineEntry of(IncidentView i, List<IncidentView.EventView> events) {
        JsonNode scope = i.scope();
        JsonNode evidence = i.evidence();
        JsonNode explanation = i.explanation();
        List<Addresses> addresses = new ArrayList<>();
        JsonNode byResolver = scope.path("addresses");
        byResolver.fieldNames().forEachRemaining(r -> addresses.add(new Addresses(r, strings(byResolver.get(r)))));
        List<Layer> layers = new ArrayList<>();
        JsonNode l = evidence.path("layers");
        l.fieldNames().forEachRemaining(name -> layers.add(new Layer(name, l.get(name).asInt())));
        List<Sample> samples = new ArrayList<>();
        for (String list : List.of("first", "latest")) {
            for (JsonNode s : evidence.path(list)) {
                Sample sample = sample(s);
                if (samples.stream().noneMatch(o -> o.resultId() == sample.resultId() && o.at().equals(sample.at()))) {
                    samples.add(sample);
                }
            }
        }
        return new TimelineEntry(i.id(), i.kind(), OpenIncident.classification(i.kind()), i.status(), i.startedAt(), i.resolvedAt(),
                Duration.ofSeconds(i.durationSeconds()), seconds(i.minDurationSeconds()), seconds(i.maxDurationSeconds()),
                i.extent(), i.summary(),
                new Explanation(text(explanation, "layer"), text(explanation, "agreement"), text(explanation, "cause"), text(explanation, "firstStep")),
                strings(scope.path("regions")), addresses, strings(scope.path("healthyAddresses")), strings(scope.path("pops")),
                strings(scope.path("healthyPops")), strings(evidence.path("statuses")), strings(evidence.path("errorClasses")), layers,
                samples, i.deploymentId(), events == null ? List.of() : events);
    }

    private static Sample sample(JsonNode s) {
        String failure;
        if (s.hasNonNull("status") && (!s.hasNonNull("errorClass") || s.get("errorClass").asText().equalsIgnoreCase("assertion_failed"))) {
            failure = "HTTP " + s.get("status").asInt() + (s.hasNonNull("generator") ? " (" + s.get("generator").asText() + ")" : "");
        } else {
            failure = s.hasNonNull("errorClass") ? s.get("errorClass").asText().toLowerCase(Locale.ROOT) : "failed";
        }
        Instant at = s.hasNonNull("at") ? instant(s.get("at")) : null;
        return new Sample(at, text(s, "region"), text(s, "resolver"), failure, text(s, "resolvedIp"), text(s, "cdnPop"),
                s.path("resultId").asLong());
    }

    /** ISO text as the analyzer's ObjectMapper writes it; epoch seconds should it ever write numbers. */
    private static Instant instant(JsonNode v) {
        try {
            return v.isNumber() ? Instant.ofEpochMilli(Math.round(v.asDouble() * 1000)) : Instant.parse(v.asText());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Duration seconds(Long s) {
        return s == null ? null : Duration.ofSeconds(s);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
