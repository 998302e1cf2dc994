package dev.gatewatch.analysis;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A replayable world: what a site answers, from which region and through which resolver, second by second, plus what
 * the analyzer is expected to make of it. Read from {@code src/test/resources/timelines/*.json}.
 *
 * @param source      where the pattern comes from (a real incident shape, an e2e scenario)
 * @param truth       what really happened: healthy, deploy_blip, transient, outage, partial, degraded, flapping
 * @param conditions  applied in order over the baseline; later ones win
 * @param quickConfirmation the monitor's setting (absent: on)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Timeline(String name, String source, String truth, List<String> regions, List<String> resolvers,
                       Integer intervalSeconds, Integer fastSeconds, Integer windowSeconds, Integer successThreshold,
                       Integer maxResponseTimeMs, Boolean quickConfirmation, int durationSeconds, Outcome baseline, Map<String, String> pops,
                       List<Condition> conditions, List<Marker> deployments, Expect expect) {

    /** What a check returns; null fields leave the value underneath unchanged. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Outcome(Integer status, String error, Integer ms, Integer ttfbMs, Integer connectMs, String ip,
                          List<String> ips, String pop, String source, String generator, String provider) {
    }

    /**
     * An outcome in force over [from, to) seconds for the matching regions / resolvers / address (all when absent).
     * With {@code period} and {@code duty} it is only in force for the first {@code duty} seconds of every period.
     * {@code silent} means the region's checkers stop reporting.
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Condition(int from, int to, List<String> regions, List<String> resolvers, String ip, Integer period,
                            Integer duty, Boolean silent, Outcome outcome) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Marker(long id, int start, Integer end, Integer expectedSeconds) {
    }

    /**
     * @param alerts  the alerting events expected, in order, e.g. "opened outage whole", "escalated outage",
     *                "recovered partial", "opened partial resolver 8.8.8.8"
     * @param cleared how many episodes cleared without an alert, with their classification ("deploy_blip" / "transient")
     * @param from    second at which the real trouble began (for the time to alert)
     * @param within  the alert must be opened at most this many seconds after {@code from}
     * @param explains words the opening (or, without alerts, the cleared) episode's explanation must contain
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Expect(List<String> alerts, List<String> cleared, Integer from, Integer within, List<String> explains) {
    }
}
