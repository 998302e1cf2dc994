package dev.gatewatch.alerting.mute;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * A window that comes back: on the given days (none: every day) at a local time in a time zone, for a duration.
 * Local times follow the zone's daylight-saving changes; a start that falls into a spring-forward gap moves to the
 * first valid instant after it.
 *
 * @param days     days of the week it starts on; empty means daily
 * @param start    local start time
 * @param duration how long each occurrence lasts (1 min to 7 days)
 */
public record Recurrence(Set<DayOfWeek> days, LocalTime start, Duration duration, ZoneId timeZone) {

    public static final Duration LONGEST = Duration.ofDays(7);

    public Recurrence {
        days = Set.copyOf(days);
    }

    /** The occurrence that is on at {@code at}, if any (the latest one to start, should two overlap). */
    public Optional<Occurrence> covering(Instant at) {
        LocalDate today = at.atZone(timeZone).toLocalDate();
        for (LocalDate d = today; !d.isBefore(today.minusDays(duration.toDays() + 1)); d = d.minusDays(1)) {
            Optional<Occurrence> o = on(d);
            if (o.isPresent() && o.get().covers(at)) {
                return o;
            }
        }
        return Optional.empty();
    }

    /** The first occurrence that ends after {@code after} (the one on now, or the next one). */
    public Optional<Occurrence> next(Instant after) {
        Optional<Occurrence> now = covering(after);
        if (now.isPresent()) {
            return now;
        }
        LocalDate today = after.atZone(timeZone).toLocalDate();
        for (LocalDate d = today; d.isBefore(today.plusDays(8)); d = d.plusDays(1)) {
            Optional<Occurrence> o = on(d);
            if (o.isPresent() && o.get().start().isAfter(after)) {
                return o;
            }
        }
        return Optional.empty();
    }

    private Optional<Occurrence> on(LocalDate day) {
        if (!days.isEmpty() && !days.contains(day.getDayOfWeek())) {
            return Optional.empty();
        }
        Instant s = ZonedDateTime.of(day, start, timeZone).toInstant();
        return Optional.of(new Occurrence(s, s.plus(duration)));
    }
}
