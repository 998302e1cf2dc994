package dev.gatewatch.analysis.model;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

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
 */
public record Evidence(int failures, SortedSet<Integer> statuses, SortedSet<String> errorClasses,
                       SortedMap<String, Integer> layers, boolean blipKind, List<Sample> first, List<Sample> latest,
                       int slowestMs, Instant lastPassAt) {
}
