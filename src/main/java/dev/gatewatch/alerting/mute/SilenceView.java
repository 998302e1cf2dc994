package dev.gatewatch.alerting.mute;

import java.time.Instant;

/** A silence as the API shows it. */
public record SilenceView(long id, Long monitorId, String reason, Instant startsAt, Instant endsAt, boolean activeNow,
                          Instant createdAt) {
}
