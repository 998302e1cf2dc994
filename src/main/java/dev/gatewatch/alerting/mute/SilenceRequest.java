package dev.gatewatch.alerting.mute;

/**
 * An ad-hoc silence as written through the API.
 *
 * @param monitorId       one monitor, or absent for all of the owner's
 * @param startsAt        ISO-8601, default now
 * @param endsAt          ISO-8601; or give durationMinutes
 * @param durationMinutes from the start, 1 to 10080 (7 days)
 */
public record SilenceRequest(Long monitorId, String reason, String startsAt, String endsAt, Integer durationMinutes) {
}
