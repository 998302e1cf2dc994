package dev.gatewatch.alerting;

import java.util.List;
import java.util.Map;

/** A channel's stored settings (shown) and secrets (write-only). Values are strings or lists of strings. */
public record ChannelConfig(long id, String name, Map<String, Object> settings, Map<String, String> secrets) {

    public String setting(String key) {
        Object v = settings.get(key);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        Object v = settings.get(key);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    public String secret(String key) {
        return secrets.get(key);
    }
}
