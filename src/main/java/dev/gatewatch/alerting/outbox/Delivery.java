package dev.gatewatch.alerting.outbox;

import java.time.Instant;

import dev.gatewatch.alerting.Alert;
import dev.gatewatch.alerting.ChannelConfig;

/** A claimed notification with everything needed to send it. */
public record Delivery(long id, String idempotencyKey, int attempts, Instant createdAt, String channelType,
                       ChannelConfig channel, Alert alert) {
}
