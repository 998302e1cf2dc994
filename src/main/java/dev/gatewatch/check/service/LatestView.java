package dev.gatewatch.check.service;

import java.time.Instant;

/** The newest result of one (region, resolver) of a monitor. */
public record LatestView(String region, String resolver, long resultId, Instant startedAt, boolean ok, Integer status,
        String errorClass, int totalMs, String resolvedIp, String cdnPop) {
}
