package dev.gatewatch.alerting.channel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.alerting.Alert;
import dev.gatewatch.alerting.AlertChannel;
import dev.gatewatch.alerting.ChannelConfig;
import dev.gatewatch.alerting.Digest;
import dev.gatewatch.alerting.Message;
import dev.gatewatch.alerting.Outcome;
import dev.gatewatch.api.FieldError;

/**
 * A generic webhook: a JSON body of schema {@value #SCHEMA}, signed with HMAC-SHA256 over
 * {@code timestamp + "." + body} using the channel's secret, sent with the timestamp (so receivers can refuse
 * replays) and an idempotency key (so they can drop a second delivery of the same event).
 */
@ApplicationScoped
public class WebhookChannel implements AlertChannel {

    public static final String SCHEMA = "gatewatch.alert.v1";
    public static final String SIGNATURE = "Gatewatch-Signature";
    public static final String TIMESTAMP = "Gatewatch-Timestamp";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpDelivery http;
    private final ObjectMapper json;

    public WebhookChannel(HttpDelivery http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("secret");
    }

    /** Receivers drop repeats by the {@value #IDEMPOTENCY_KEY} header. */
    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public List<FieldError> validate(ChannelConfig config) {
        List<FieldError> errors = new ArrayList<>();
        http.validateUrl("settings.url", config.setting("url"), errors);
        String secret = config.secret("secret");
        if (secret == null || secret.length() < 16 || secret.length() > 200) {
            errors.add(new FieldError("secrets.secret", "is required: 16 to 200 characters used to sign each request"));
        }
        return errors;
    }

    @Override
    public Message build(Alert a, ChannelConfig config) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schema", SCHEMA);
        body.put("event", "incident." + a.event());
        body.put("at", a.at().toString());
        Map<String, Object> monitor = new LinkedHashMap<>();
        monitor.put("id", a.monitorId());
        monitor.put("name", a.monitorName());
        monitor.put("url", a.monitorUrl());
        body.put("monitor", monitor);
        Map<String, Object> incident = new LinkedHashMap<>();
        incident.put("id", a.incidentId());
        incident.put("kind", a.kind());
        incident.put("severity", a.severity());
        incident.put("headline", a.headline());
        incident.put("startedAt", a.startedAt().toString());
        incident.put("resolvedAt", a.resolvedAt() == null ? null : a.resolvedAt().toString());
        incident.put("scope", a.scope());
        incident.put("statuses", a.evidence().statuses());
        incident.put("errorClasses", a.evidence().errorClasses());
        incident.put("explanation", a.explanation());
        incident.put("url", a.dashboardUrl());
        incident.put("heldBy", a.heldBy());
        body.put("incident", incident);
        try {
            return Message.json("incident." + a.event(), json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Message digest(Digest d, ChannelConfig config) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schema", SCHEMA);
        body.put("event", "digest.daily");
        body.put("at", d.periodEnd().toString());
        Map<String, Object> digest = new LinkedHashMap<>();
        digest.put("periodStart", d.periodStart().toString());
        digest.put("periodEnd", d.periodEnd().toString());
        digest.put("summary", d.summary());
        digest.put("blips", d.blips().stream().map(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("monitorId", b.monitorId());
            m.put("monitorName", b.monitorName());
            m.put("kind", b.kind());
            m.put("startedAt", b.startedAt().toString());
            m.put("endedAt", b.endedAt().toString());
            m.put("seconds", b.seconds());
            m.put("deploymentId", b.deploymentId());
            return m;
        }).toList());
        digest.put("url", d.dashboardUrl());
        body.put("digest", digest);
        try {
            return Message.json("digest.daily", json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Outcome send(Message message, ChannelConfig config, String idempotencyKey) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return http.post(config.setting("url"), Map.of(TIMESTAMP, timestamp,
                SIGNATURE, "v1=" + sign(config.secret("secret"), timestamp, message.json()),
                IDEMPOTENCY_KEY, idempotencyKey, "Gatewatch-Event", message.subject()), message.json());
    }

    /** hex(HMAC-SHA256(secret, timestamp + "." + body)): what receivers recompute to check a request. */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
