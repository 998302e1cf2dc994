package dev.gatewatch.check.service;

import java.time.Instant;
import java.util.List;

import dev.gatewatch.check.Timings;

/**
 * A stored check result as the API shows it.
 *
 * @param finalUrl      where the last redirect led; null when the monitor's URL answered itself (no redirect)
 * @param replacedChars characters of the response's text that PostgreSQL cannot hold (NUL, broken UTF-16) and were
 *                      stored as U+FFFD; null when none were
 */
public record ResultView(long id, String region, String resolver, Instant dueAt, Instant startedAt, boolean ok, Integer status,
        String errorClass, String errorMessage, Timings timings, String resolvedIp, int redirects, String finalUrl,
        Integer bodyBytes, Cdn cdn, String errorBody, Instant tlsExpiresAt, List<String> assertionFailures, String checkerId,
        Integer replacedChars) {

    /**
     * Who answered.
     *
     * @param errorSource for an error response: edge (the CDN made it), origin (a proxy or server behind it) or unknown
     */
    public record Cdn(String provider, String pop, String requestId, String server, String errorSource, String errorGenerator) {
    }
}
