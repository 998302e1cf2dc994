package dev.gatewatch.alerting.outbox;

import java.time.Instant;

import dev.gatewatch.alerting.Alert;
import dev.gatewatch.alerting.ChannelConfig;
import dev.gatewatch.alerting.Digest;

/**
 * A claimed notification with everything needed to send it: an incident alert or a digest (the other is null).
 *
 * @param attempts         attempts so far, this one included
 * @param unconfirmedSends earlier attempts that went out unanswered: if any, this send may duplicate the alert
 */
public record Delivery(long id, String idempotencyKey, int attempts, int unconfirmedSends, Instant createdAt, String channelType,
                       ChannelConfig channel, long ownerId, Alert alert, Digest digest) {
}
