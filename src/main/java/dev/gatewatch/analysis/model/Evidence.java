package dev.gatewatch.analysis.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.stream.Stream;

/**
 * What an episode's failing checks showed, accumulated sample by sample.
 *
 * @param failures     failing checks seen
 * @param statuses     HTTP statuses of failing checks
 * @param errorClasses error classes of failing checks
 * @param layers       who generated the errors, counted: "edge:cloudflare", "origin:nginx", "network", "dns", "tls"
 * @param blipKind     whether every failure was of the kind a restart causes (502/503/504/52x, refused, reset)
 * @param first        the first failing checks (how it began), bounded
 * @param latest       the latest failing check of each stream (how it looks now), bounded
 * @param slowestMs    for latency episodes: the slowest successful check
 * @param lastPassAt   the last passing check before the first failure: the trouble began between it and the episode's
 *                     start (null if unknown)
 * @param lastFailAt   the last failing check so far: the trouble lasted at least from the start to it (null in
 *                     evidence stored before it was recorded, and for latency episodes)
 */
public record Evidence(int failures, SortedSet<Integer> statuses, SortedSet<String> errorClasses,
                       SortedMap<String, Integer> layers, boolean blipKind, List<Sample> first, List<Sample> latest,
                       int slowestMs, Instant lastPassAt, Instant lastFailAt) {

    /** The last failing check; for evidence stored before that was recorded, the latest failing check kept, or null. */
    public Instant lastFailure() {
        return lastFailure(lastFailAt, Stream.concat(first == null ? Stream.empty() : first.stream(),
                latest == null ? Stream.empty() : latest.stream()).filter(s -> !s.ok()).map(Sample::at));
    }

    /** {@code recorded} if known, else the latest of the failing checks kept. */
    public static Instant lastFailure(Instant recorded, Stream<Instant> keptFailures) {
        return recorded != null ? recorded : keptFailures.filter(t -> t != null).max(Comparator.naturalOrder()).orElse(null);
    }
}
