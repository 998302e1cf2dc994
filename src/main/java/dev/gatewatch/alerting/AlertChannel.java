package dev.gatewatch.alerting;

import java.util.List;
import java.util.Set;

import dev.gatewatch.api.FieldError;

/**
 * One way of telling an owner: Slack, e-mail, webhook. A new channel is one CDI bean implementing this; the channel
 * API, the outbox and the notifier find it by {@link #type()}.
 */
public interface AlertChannel {

    /** The type name used in the API, e.g. "slack". */
    String type();

    /** Setting keys that are secrets: accepted on write, never shown. */
    Set<String> secretKeys();

    /** Problems with a channel's settings and secrets, named by API field ("settings.url", "secrets.secret"). */
    List<FieldError> validate(ChannelConfig config);

    /** The message for an alert; pure, so it can be tested and previewed without sending. */
    Message build(Alert alert, ChannelConfig config);

    /** The message for a daily digest of failures that did not page; pure. */
    Message digest(Digest digest, ChannelConfig config);

    /** Sends a built message, blocking; delivery failures are returned, never thrown. */
    Outcome send(Message message, ChannelConfig config, String idempotencyKey);

    /**
     * Whether the receiver drops a second delivery of the same alert (it gets an idempotency key). If not (Slack), a send
     * that may have arrived unanswered is retried only after the longer {@code unconfirmed-backoff}.
     */
    default boolean idempotent() {
        return false;
    }
}
