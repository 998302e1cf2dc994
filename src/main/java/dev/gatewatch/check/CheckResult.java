package dev.gatewatch.check;

import java.time.Instant;
import java.util.List;

import dev.gatewatch.check.cdn.EdgeInfo;

/**
 * The outcome of one check of one monitor from one region through one resolver.
 *
 * @param resolvedIp        the address the resolver returned for the monitored host (the first hop)
 * @param edge              who answered the last response (CDN provider and node, server, who generated an error)
 * @param errorBody         start of the body of an error response, for telling who generated it
 * @param assertionFailures why the response was judged bad, one plain sentence each
 */
public record CheckResult(long monitorId, String region, String resolver, String checkerId, Instant dueAt,
        Instant startedAt, boolean ok, Integer status, ErrorClass errorClass, String errorMessage, Timings timings,
        String resolvedIp, int redirects, String finalUrl, Integer bodyBytes, EdgeInfo edge, String errorBody,
        Instant tlsExpiresAt, List<String> assertionFailures) {
}
