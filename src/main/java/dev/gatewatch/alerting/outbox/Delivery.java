package dev.gatewatch.alerting.outbox;

import java.time.Instant;

import dev.gatewatch.alerting.Alert;
import dev.gatewatch.alerting.ChannelConfig;
import dev.gatewatch.alerting.Digest;

/**
 * A claimed notification with everything needed to send it: an incident alert or a digest (the other is null).
 *
 * @param mutedBy what held it back earlier, if anything
 */
public record Delivery(long id, String idempotencyKey, int attempts, Instant createdAt, String channelType,
                       ChannelConfig channel, long ownerId, String mutedBy, Alert alert, Digest digest) {
}
