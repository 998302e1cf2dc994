package dev.gatewatch.alerting.mute;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Planned maintenance: one-off ({@code startsAt}..{@code endsAt}) or recurring ({@code recurrence}, active only
 * between {@code startsAt} and {@code endsAt} where they are set). Applies to the listed monitors, or to all of the
 * owner's when none are listed.
 */
public record MaintenanceWindow(long id, String name, List<Long> monitorIds, Instant startsAt, Instant endsAt,
                                Recurrence recurrence) implements MuteRule {

    public MaintenanceWindow {
        monitorIds = List.copyOf(monitorIds);
    }

    public boolean appliesTo(long monitorId) {
        return monitorIds.isEmpty() || monitorIds.contains(monitorId);
    }

    /** The stretch of this window that is on at {@code at}, if any. */
    public Optional<Occurrence> occurrenceAt(Instant at) {
        if (startsAt != null && at.isBefore(startsAt) || endsAt != null && !at.isBefore(endsAt)) {
            return Optional.empty();
        }
        if (recurrence == null) {
            return Optional.of(new Occurrence(startsAt, endsAt));
        }
        return recurrence.covering(at).map(this::clip);
    }

    /** The stretch on at {@code at} or the next one to come, if any. */
    public Optional<Occurrence> next(Instant at) {
        if (recurrence == null) {
            return endsAt.isAfter(at) ? Optional.of(new Occurrence(startsAt, endsAt)) : Optional.empty();
        }
        Instant from = startsAt != null && startsAt.isAfter(at) ? startsAt : at;
        Optional<Occurrence> o = occurrenceAt(from);
        if (o.isEmpty()) {
            o = recurrence.next(from).map(this::clip);
        }
        return o.filter(x -> x.end().isAfter(x.start()) && (endsAt == null || x.start().isBefore(endsAt)));
    }

    private Occurrence clip(Occurrence o) {
        Instant s = startsAt != null && o.start().isBefore(startsAt) ? startsAt : o.start();
        Instant e = endsAt != null && o.end().isAfter(endsAt) ? endsAt : o.end();
        return new Occurrence(s, e);
    }

    @Override
    public Optional<Mute> mutes(long monitorId, Instant at) {
        if (!appliesTo(monitorId)) {
            return Optional.empty();
        }
        return occurrenceAt(at).map(o -> new Mute("maintenance window \"" + name + "\"", o.end()));
    }
}
