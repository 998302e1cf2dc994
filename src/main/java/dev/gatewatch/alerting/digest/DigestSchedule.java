package dev.gatewatch.alerting.digest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import dev.gatewatch.api.FieldError;

/**
 * When a channel gets its daily digest: the settings {@code digest} (true to turn it on), {@code digestAt} (local
 * HH:mm) and {@code timeZone} (IANA, default UTC). Pure.
 */
public record DigestSchedule(boolean enabled, LocalTime at, ZoneId timeZone) {

    /** Reads the digest settings of a channel; bad values are added to {@code errors} (field names settings.*). */
    public static DigestSchedule of(Map<String, Object> settings, LocalTime defaultAt, List<FieldError> errors) {
        Object on = settings.get("digest");
        if (on != null && !(on instanceof Boolean)) {
            errors.add(new FieldError("settings.digest", "must be true or false"));
        }
        LocalTime at = defaultAt;
        Object time = settings.get("digestAt");
        if (time != null) {
            try {
                at = LocalTime.parse(time.toString().strip());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("settings.digestAt", "must be a local time such as 08:00"));
            }
        }
        ZoneId zone = ZoneId.of("UTC");
        Object tz = settings.get("timeZone");
        if (tz != null) {
            try {
                zone = ZoneId.of(tz.toString().strip());
            } catch (DateTimeException e) {
                errors.add(new FieldError("settings.timeZone", "must be a time zone such as Europe/Berlin or UTC"));
            }
        }
        return new DigestSchedule(Boolean.TRUE.equals(on), at, zone);
    }

    /** The end of the latest digest period at or before {@code now}: today's digest time, or yesterday's. */
    public Instant latestEnd(Instant now) {
        ZonedDateTime local = now.atZone(timeZone);
        ZonedDateTime today = ZonedDateTime.of(local.toLocalDate(), at, timeZone);
        return (today.toInstant().isAfter(now) ? today.minusDays(1) : today).toInstant();
    }

    /** The start of the period ending at {@code end}: the same local time a day earlier. */
    public Instant startOf(Instant end) {
        return ZonedDateTime.of(end.atZone(timeZone).toLocalDate().minusDays(1), at, timeZone).toInstant();
    }
}
