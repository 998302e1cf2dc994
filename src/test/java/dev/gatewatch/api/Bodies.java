package dev.gatewatch.api;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A valid JSON body per operation, with every field set, for the contract test to start its mutations from. */
final class Bodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String MONITOR = """
            {"name":"contract monitor","url":"http://127.0.0.1/health","method":"POST","headers":{"Accept":"application/json"},
             "body":"{}","expectedStatus":"200-299,301","bodyAssertions":[{"type":"contains","value":"ok"}],
             "jsonAssertions":[{"path":"$.status","op":"equals","value":"ok"}],"maxResponseTimeMs":2000,
             "intervalSeconds":60,"timeoutMs":10000,"followRedirects":true,"maxRedirects":5,"regions":[],"resolvers":["system"],
             "alertPolicy":{"confirmationWindowSeconds":60,"successThreshold":2,"quickConfirmation":true,"channels":[]}}""";

    private static final String CHANNEL = """
            {"type":"slack","name":"contract channel","settings":{},"secrets":{"webhookUrl":"http://127.0.0.1:9/hook"},
             "enabled":true,"monitorIds":[]}""";

    private static final String WINDOW = """
            {"name":"contract window","monitorIds":[],"recurrence":{"days":["MON","TUE"],"start":"02:00","durationMinutes":30,
             "timeZone":"Europe/Berlin"}}""";

    private static final Map<String, String> VALID = Map.ofEntries(
            Map.entry("POST /api/v1/monitors", MONITOR),
            Map.entry("PUT /api/v1/monitors/{monitorId}", MONITOR),
            Map.entry("POST /api/v1/channels", CHANNEL),
            Map.entry("PUT /api/v1/channels/{channelId}", CHANNEL),
            Map.entry("POST /api/v1/maintenance-windows", WINDOW),
            Map.entry("PUT /api/v1/maintenance-windows/{windowId}", WINDOW),
            Map.entry("POST /api/v1/silences", "{\"reason\":\"contract\",\"durationMinutes\":30}"),
            Map.entry("POST /api/v1/tokens", "{\"name\":\"contract token\",\"expiresInDays\":30}"),
            Map.entry("POST /api/v1/deployments", "{\"expectedDurationSeconds\":300,"
                    + "\"description\":\"release\",\"version\":\"v2\",\"monitorIds\":[]}"),
            Map.entry("POST /api/v1/monitors/{monitorId}/deployments", "{\"expectedDurationSeconds\":300,\"description\":\"release\",\"version\":\"v2\"}"),
            Map.entry("POST /api/v1/deployments/{deploymentId}/end", "{\"endedAt\":null}"),
            Map.entry("POST /api/v1/diagnose", "{\"url\":\"http://127.0.0.1/contract\"}"),
            Map.entry("PUT /api/v1/status-page", "{\"slug\":\"SLUG\",\"title\":\"Contract\",\"description\":\"d\","
                    + "\"enabled\":true,\"showDetails\":false,\"groups\":[{\"name\":\"Web\",\"monitors\":[{\"monitorId\":0,\"displayName\":\"Shop\"}]}]}"));

    private Bodies() {
    }

    /** The valid body of an operation (SLUG stands for the owner's status page address) ({@code "POST /api/v1/monitors"}), or null if it has none listed here. */
    static JsonNode valid(String operation) {
        String body = VALID.get(operation);
        try {
            return body == null ? null : JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(operation, e);
        }
    }
}
