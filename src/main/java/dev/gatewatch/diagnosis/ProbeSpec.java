package dev.gatewatch.diagnosis;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.gatewatch.check.CheckTask;
import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.JsonAssertion;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.monitor.validation.StatusCodes;

/**
 * What each check of a diagnosis sends and expects, frozen when it is requested (stored as JSON with the diagnosis).
 *
 * @param monitorId  the monitor diagnosed, 0 for a URL
 * @param anonymous  whether it was asked without an account: only the allowed ports, on the URL and every hop
 */
public record ProbeSpec(long monitorId, boolean anonymous, String url, String method, Map<String, String> headers, String body,
                        String expectedStatus, List<BodyAssertion> bodyAssertions, List<JsonAssertion> jsonAssertions,
                        int timeoutMs, boolean followRedirects, int maxRedirects) {

    /** A plain GET of a URL, as a browser would fetch it: redirects followed, any 2xx or 3xx is up. */
    public static ProbeSpec anonymous(String url, int timeoutMs) {
        return new ProbeSpec(0, true, url, "GET", Map.of(), null, StatusCodes.DEFAULT, List.of(), List.of(), timeoutMs, true, 5);
    }

    /** The check of one region, started now. */
    public CheckTask task(String region, List<ResolverSpec> resolvers, Instant now) {
        return new CheckTask(monitorId, region, now, 60, URI.create(url), method, headers == null ? Map.of() : headers, body,
                StatusCodes.parse(expectedStatus), bodyAssertions == null ? List.of() : bodyAssertions,
                jsonAssertions == null ? List.of() : jsonAssertions, timeoutMs, followRedirects, maxRedirects, resolvers);
    }
}
