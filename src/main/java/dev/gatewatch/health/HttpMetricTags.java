package dev.gatewatch.health;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Keeps the HTTP server metrics' tags bounded whatever strangers send. Quarkus tags a request no route template
 * matched as {@code NOT_FOUND}, {@code REDIRECTION} (the login redirect) or {@code UNKNOWN} (401/403/405 before
 * routing, with {@code suppress4xx-errors}); they become one tag, {@value #UNMATCHED}, and made-up HTTP methods
 * become {@value #OTHER}, so real endpoints keep their share of {@code max-uri-tags}.
 */
@Singleton
public class HttpMetricTags {

    public static final String UNMATCHED = "UNMATCHED";
    public static final String OTHER = "OTHER";
    private static final Set<String> FALLBACKS = Set.of("NOT_FOUND", "REDIRECTION", "UNKNOWN");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Produces
    @Singleton
    MeterFilter boundedHttpServerTags() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("http.server.")) {
                    return id;
                }
                String uri = id.getTag("uri");
                String method = id.getTag("method");
                boolean unmatched = uri != null && FALLBACKS.contains(uri);
                boolean odd = method != null && !METHODS.contains(method);
                if (!unmatched && !odd) {
                    return id;
                }
                Meter.Id mapped = id;
                if (unmatched) {
                    mapped = mapped.withTag(Tag.of("uri", UNMATCHED)); // same key: replaces
                }
                if (odd) {
                    mapped = mapped.withTag(Tag.of("method", OTHER));
                }
                return mapped;
            }
        };
    }
}
