package dev.gatewatch.check.service;

import java.time.Instant;

/**
 * Checks of one (region, resolver) in one minute or hour. Latency figures cover successful checks; percentiles come
 * from a log histogram and are within about 12%.
 */
public record RollupView(Instant bucket, String region, String resolver, int checks, int failures, Integer avgMs,
        Integer p50Ms, Integer p95Ms, Integer maxMs) {
}
