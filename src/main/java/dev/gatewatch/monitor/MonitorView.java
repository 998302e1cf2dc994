package dev.gatewatch.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A monitor as the API shows it, with every default filled in. */
public record MonitorView(
        long id,
        String name,
        String url,
        String method,
        Map<String, String> headers,
        String body,
        String expectedStatus,
        List<BodyAssertion> bodyAssertions,
        List<JsonAssertion> jsonAssertions,
        Integer maxResponseTimeMs,
        Integer minTlsValidityDays,
        int intervalSeconds,
        int timeoutMs,
        boolean followRedirects,
        int maxRedirects,
        List<String> regions,
        List<String> resolvers,
        AlertPolicy alertPolicy,
        boolean paused,
        Instant createdAt,
        Instant updatedAt) {

    public static MonitorView of(Monitor m) {
        return new MonitorView(m.id, m.name, m.url, m.method, m.requestHeaders, m.requestBody, m.expectedStatus,
                m.bodyAssertions, m.jsonAssertions, m.maxResponseTimeMs, m.minTlsValidityDays, m.intervalSeconds,
                m.timeoutMs, m.followRedirects, m.maxRedirects, m.regions, m.resolvers,
                new AlertPolicy(m.confirmationWindowSeconds, m.successThreshold, m.channelIds, m.reminderMinutes, m.quickConfirmation),
                m.paused, m.createdAt, m.updatedAt);
    }
}
