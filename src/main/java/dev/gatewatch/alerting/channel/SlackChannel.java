package dev.gatewatch.alerting.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * Slack through an incoming webhook (secret {@code webhookUrl}); the message is Block Kit with a coloured attachment.
 * Slack answers 200 "ok"; 4xx answers such as invalid_token, no_service or channel_is_archived are permanent.
 */
@ApplicationScoped
public class SlackChannel implements AlertChannel {

    private static final Map<String, String> COLOURS = Map.of("critical", "#d92d20", "warning", "#f79009", "ok", "#12b76a");
    private static final Map<String, String> EMOJI = Map.of("critical", ":red_circle:", "warning", ":large_orange_circle:", "ok", ":large_green_circle:");

    private static final int LISTED = 20;

    private final HttpDelivery http;
    private final ObjectMapper json;

    public SlackChannel(HttpDelivery http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("webhookUrl");
    }

    @Override
    public List<FieldError> validate(ChannelConfig config) {
        List<FieldError> errors = new ArrayList<>();
        http.validateUrl("secrets.webhookUrl", config.secret("webhookUrl"), errors);
        return errors;
    }

    @Override
    public Message build(Alert a, ChannelConfig config) {
        String title = EMOJI.get(a.severity()) + " *[" + a.tag() + "] " + a.host() + "* — " + a.headline();
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", title)));
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", a.explanation().summary())));
        List<Object> fields = new ArrayList<>();
        fields.add(field("Classification", a.kind() + " (" + a.scope().extent().code() + ")"));
        fields.add(field("Scope", a.scope().label()));
        fields.add(field("First failure", "<!date^" + a.startedAt().getEpochSecond() + "^{date_short_pretty} {time_secs}|" + a.startedAt() + ">"));
        fields.add(field("Status codes", a.evidence().statuses().isEmpty() ? "none" : a.evidence().statuses().toString()));
        fields.add(field("Error classes", a.evidence().errorClasses().isEmpty() ? "none" : String.join(", ", a.evidence().errorClasses())));
        if (a.recovered()) {
            fields.add(field("Duration", a.duration()));
        }
        blocks.add(Map.of("type", "section", "fields", fields));
        if (!a.recovered()) {
            blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text",
                    "*Who answered:* " + a.explanation().layer() + "\n*Agreement:* " + a.explanation().agreement()
                            + "\n*Likely cause:* " + a.explanation().cause() + "\n*First step:* " + a.explanation().firstStep())));
        }
        if (a.heldBy() != null) {
            blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", a.heldNote()))));
        }
        blocks.add(Map.of("type", "actions", "elements", List.of(Map.of("type", "button",
                "text", Map.of("type", "plain_text", "text", "Open in Gatewatch"), "url", a.dashboardUrl()))));
        String fallback = "[" + a.tag() + "] " + a.host() + " — " + a.headline();
        Map<String, Object> body = Map.of("text", fallback,
                "attachments", List.of(Map.of("color", COLOURS.get(a.severity()), "blocks", blocks)));
        try {
            return Message.json(fallback, json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Message digest(Digest d, ChannelConfig config) {
        StringBuilder lines = new StringBuilder();
        d.blips().stream().limit(LISTED).forEach(b -> lines.append("• ").append(b.host()).append(" — ")
                .append(b.duration()).append(" at ").append(d.local(b.startedAt()))
                .append(b.deploy() ? " (deploy)" : "").append('\n'));
        if (d.blips().size() > LISTED) {
            lines.append("… and ").append(d.blips().size() - LISTED).append(" more\n");
        }
        List<Object> blocks = List.of(
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", ":information_source: *Daily digest* — " + d.summary())),
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", lines.toString())),
                Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn",
                        "text", "None of these paged: each cleared inside its confirmation window. Times in " + d.timeZone() + "."))));
        try {
            return Message.json(d.subject(), json.writeValueAsString(Map.of("text", d.subject(), "blocks", blocks)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> field(String name, String value) {
        return Map.of("type", "mrkdwn", "text", "*" + name + "*\n" + value);
    }

    @Override
    public Outcome send(Message message, ChannelConfig config, String idempotencyKey) {
        return http.post(config.secret("webhookUrl"), Map.of(), message.json());
    }
}
