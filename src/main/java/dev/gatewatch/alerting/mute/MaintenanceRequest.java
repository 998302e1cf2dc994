package dev.gatewatch.alerting.mute;

import java.util.List;

/**
 * A maintenance window as written through the API.
 *
 * @param monitorIds the monitors it covers; empty or absent: all of the owner's
 * @param startsAt   ISO-8601; required for a one-off window, an optional first day for a recurring one
 * @param endsAt     ISO-8601; required for a one-off window, an optional last day for a recurring one
 * @param recurrence absent for a one-off window
 */
public record MaintenanceRequest(String name, List<Long> monitorIds, String startsAt, String endsAt, RecurrenceRequest recurrence) {

    /**
     * @param days            MONDAY … SUNDAY (or MON … SUN); empty or absent: every day
     * @param start           local start time, HH:mm
     * @param durationMinutes 1 to 10080
     * @param timeZone        IANA zone such as Europe/Berlin; default UTC
     */
    public record RecurrenceRequest(List<String> days, String start, Integer durationMinutes, String timeZone) {
    }
}
