package dev.gatewatch.alerting.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatewatch.alerting.service.ChannelRequest;
import dev.gatewatch.alerting.service.ChannelView;

/**
 * The channel form of the web UI, as shown and as submitted: one flat set of fields for every channel type, mapped to
 * the API's request so the API's validation (and its field names) serve the form too. Secrets are never filled in.
 */
public record ChannelForm(Long id, String type, String name, boolean enabled, String url, String recipients, boolean digest,
                          String digestAt, String timeZone, List<Long> monitorIds, List<String> secretsSet) {

    public static ChannelForm blank() {
        return new ChannelForm(null, "slack", "", true, "", "", false, "", "", List.of(), List.of());
    }

    public static ChannelForm of(ChannelView v) {
        Map<String, Object> s = v.settings();
        Object to = s.get("recipients");
        return new ChannelForm(v.id(), v.type(), v.name(), v.enabled(), text(s.get("url")),
                to instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : "",
                Boolean.TRUE.equals(s.get("digest")), text(s.get("digestAt")), text(s.get("timeZone")), v.monitorIds(), v.secretsSet());
    }

    /** The API request for this form; a secret left blank is not sent, so a stored one is kept. */
    public ChannelRequest toRequest(String webhookUrl, String secret) {
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        switch (type == null ? "" : type) {
            case "slack" -> put(secrets, "webhookUrl", webhookUrl);
            case "email" -> settings.put("recipients", Arrays.stream(recipients == null ? new String[0] : recipients.split("[,;\\s]+"))
                    .filter(x -> !x.isBlank()).toList());
            case "webhook" -> {
                settings.put("url", url == null ? "" : url.strip());
                put(secrets, "secret", secret);
            }
            default -> { }
        }
        if (digest) {
            settings.put("digest", true);
        }
        if (digestAt != null && !digestAt.isBlank()) {
            settings.put("digestAt", digestAt.strip());
        }
        if (timeZone != null && !timeZone.isBlank()) {
            settings.put("timeZone", timeZone.strip());
        }
        return new ChannelRequest(type, name, settings, secrets, enabled, monitorIds);
    }

    public boolean attached(long monitorId) {
        return monitorIds.contains(monitorId);
    }

    public boolean secretSet(String key) {
        return secretsSet.contains(key);
    }

    private static void put(Map<String, String> secrets, String key, String value) {
        if (value != null && !value.isBlank()) {
            secrets.put(key, value.strip());
        }
    }

    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }
}
