package dev.gatewatch.monitor;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A monitor as an owner submits it (create and full update). Fields left out take their defaults.
 */
@Schema(description = "A monitor to create or replace; omitted fields take their defaults")
public record MonitorRequest(
        @Schema(required = true, maxLength = 100, examples = "Shop front page") String name,
        @Schema(required = true, maxLength = 2048, examples = "https://shop.example.com/health") String url,
        @Schema(defaultValue = "GET", enumeration = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" }) String method,
        @Schema(description = "Request headers to send") Map<String, String> headers,
        @Schema(description = "Request body (not with GET or HEAD)", maxLength = 65536) String body,
        @Schema(defaultValue = "200-399", description = "Accepted status codes and ranges, e.g. 200-299,301,302") String expectedStatus,
        List<BodyAssertion> bodyAssertions,
        List<JsonAssertion> jsonAssertions,
        @Schema(description = "Slower than this (ms) counts as degraded") Integer maxResponseTimeMs,
        @Schema(description = "Fail when the TLS certificate expires in fewer days (https only); default 14") Integer minTlsValidityDays,
        @Schema(defaultValue = "60", minimum = "10", maximum = "86400") Integer intervalSeconds,
        @Schema(defaultValue = "10000", minimum = "1000", maximum = "60000") Integer timeoutMs,
        @Schema(defaultValue = "true") Boolean followRedirects,
        @Schema(defaultValue = "5", minimum = "0", maximum = "20") Integer maxRedirects,
        @Schema(description = "Regions to check from; empty means every active region") List<String> regions,
        @Schema(description = "DNS resolvers: system, an IP, or host:port; default system, 1.1.1.1, 8.8.8.8") List<String> resolvers,
        AlertPolicy alertPolicy) {
}
