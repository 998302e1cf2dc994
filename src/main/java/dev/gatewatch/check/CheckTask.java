package dev.gatewatch.check;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.JsonAssertion;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.monitor.validation.StatusCodes;

/**
 * One claimed (monitor, region) slot: the monitor as it was when claimed, so a change applies from the next slot.
 *
 * @param dueAt the slot this check stands for; results keep it, so a late check still fills its own slot
 */
public record CheckTask(long monitorId, String region, Instant dueAt, int intervalSeconds, URI url, String method,
        Map<String, String> headers, String body, StatusCodes expectedStatus, List<BodyAssertion> bodyAssertions,
        List<JsonAssertion> jsonAssertions, int timeoutMs, boolean followRedirects, int maxRedirects,
        List<ResolverSpec> resolvers) {

    /** The same check standing for another slot. */
    public CheckTask withDueAt(Instant due) {
        return new CheckTask(monitorId, region, due, intervalSeconds, url, method, headers, body, expectedStatus, bodyAssertions,
                jsonAssertions, timeoutMs, followRedirects, maxRedirects, resolvers);
    }
}
