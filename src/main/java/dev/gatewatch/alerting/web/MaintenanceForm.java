package dev.gatewatch.alerting.web;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.gatewatch.alerting.mute.MaintenanceRequest;
import dev.gatewatch.alerting.mute.MaintenanceView;
import dev.gatewatch.api.FieldError;

/**
 * The maintenance window form of the web UI, as shown and as submitted. Times are local ({@code datetime-local}) in
 * the form's time zone and become ISO-8601 instants for the API, whose validation (and field names) serve the form.
 *
 * @param recurring whether the window repeats; {@code startsAt}/{@code endsAt} are then unused, and {@code from} /
 *                  {@code until} are the API's optional bounds
 * @param days      MONDAY … SUNDAY; none: every day
 * @param monitorIds none: all of the owner's monitors
 */
public record MaintenanceForm(String name, boolean recurring, String startsAt, String endsAt, String timeZone, List<String> days,
                              String start, String durationMinutes, String from, String until, List<Long> monitorIds) {

    /** Form fields that have their own control; other errors are listed at the top of the form. */
    static final List<String> FIELDS = List.of("name", "monitorIds", "startsAt", "endsAt", "recurrence.days", "recurrence.start",
            "recurrence.durationMinutes", "recurrence.timeZone");

    /** A day to tick: the API's value and what the form shows. */
    public record Day(String value, String label) {
    }

    public static final List<Day> DAYS = Arrays.stream(DayOfWeek.values())
            .map(d -> new Day(d.name(), d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH))).toList();

    public static MaintenanceForm blank() {
        return new MaintenanceForm("", false, "", "", "UTC", List.of(), "02:00", "60", "", "", List.of());
    }

    /** A one-off window is shown in UTC: the API keeps instants, not the zone they were typed in. */
    public static MaintenanceForm of(MaintenanceView v) {
        MaintenanceRequest.RecurrenceRequest r = v.recurrence();
        if (r == null) {
            return new MaintenanceForm(v.name(), false, local(v.startsAt(), ZoneOffset.UTC), local(v.endsAt(), ZoneOffset.UTC), "UTC",
                    List.of(), "02:00", "60", "", "", v.monitorIds());
        }
        ZoneId zone = ZoneId.of(r.timeZone());
        return new MaintenanceForm(v.name(), true, "", "", r.timeZone(), r.days(), r.start(), String.valueOf(r.durationMinutes()),
                local(v.startsAt(), zone), local(v.endsAt(), zone), v.monitorIds());
    }

    /**
     * The API request for this form.
     *
     * @param problems receives what the form itself cannot read (a time zone for a one-off window, a duration that is
     *                 no number), named by the API's field names
     */
    public MaintenanceRequest toRequest(List<FieldError> problems) {
        ZoneId zone = ZoneOffset.UTC;
        if (timeZone != null && !timeZone.isBlank()) {
            try {
                zone = ZoneId.of(timeZone.strip());
            } catch (DateTimeException e) {
                problems.add(new FieldError("recurrence.timeZone", "must be a time zone such as Europe/Berlin or UTC"));
            }
        }
        if (!recurring) {
            return new MaintenanceRequest(name, monitorIds, instant(startsAt, zone), instant(endsAt, zone), null);
        }
        Integer minutes = null;
        if (durationMinutes != null && !durationMinutes.isBlank()) {
            try {
                minutes = Integer.valueOf(durationMinutes.strip());
            } catch (NumberFormatException e) {
                problems.add(new FieldError("recurrence.durationMinutes", "must be a whole number"));
            }
        }
        return new MaintenanceRequest(name, monitorIds, instant(from, zone), instant(until, zone),
                new MaintenanceRequest.RecurrenceRequest(days, start, minutes, timeZone));
    }

    public boolean hasDay(String day) {
        return days.contains(day);
    }

    public boolean covers(long monitorId) {
        return monitorIds.contains(monitorId);
    }

    /** A {@code datetime-local} value in {@code zone} as an ISO instant; anything else is passed on for the API to name. */
    private static String instant(String local, ZoneId zone) {
        if (local == null || local.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(local.strip()).atZone(zone).toOffsetDateTime().toString();
        } catch (DateTimeParseException e) {
            return local;
        }
    }

    private static String local(Instant at, ZoneId zone) {
        return at == null ? "" : LocalDateTime.ofInstant(at, zone).toString();
    }
}
