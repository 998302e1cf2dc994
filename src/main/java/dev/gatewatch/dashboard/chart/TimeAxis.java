package dev.gatewatch.dashboard.chart;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Maps instants in [from, to] onto [x0, x1]; ticks fall on round UTC times (whole hours, midnights). */
public record TimeAxis(Instant from, Instant to, double x0, double x1) {

    private static final long[] STEPS = {60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT).withZone(ZoneOffset.UTC);

    public TimeAxis {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("empty time range " + from + " .. " + to);
        }
    }

    public double x(Instant t) {
        return x0 + (x1 - x0) * (t.toEpochMilli() - from.toEpochMilli()) / (double) (to.toEpochMilli() - from.toEpochMilli());
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && !t.isAfter(to);
    }

    /** The tick spacing: the smallest round step that gives at most {@code max} ticks. */
    public Duration step(int max) {
        long span = Duration.between(from, to).toSeconds();
        for (long s : STEPS) {
            if (span / s <= max) {
                return Duration.ofSeconds(s);
            }
        }
        return Duration.ofSeconds(STEPS[STEPS.length - 1]);
    }

    /** At most {@code max} ticks: times of day, except midnights and day steps, which show the date. */
    public List<Tick> ticks(int max) {
        long step = step(max).toSeconds();
        long first = Math.floorDiv(from.getEpochSecond() + step - 1, step) * step;
        List<Tick> ticks = new ArrayList<>();
        for (long t = first; t <= to.getEpochSecond(); t += step) {
            Instant at = Instant.ofEpochSecond(t);
            boolean date = step >= 86400 || t % 86400 == 0;
            ticks.add(new Tick(x(at), (date ? DATE : TIME).format(at)));
        }
        return ticks;
    }

    /** "12:05" within a day's range, "Nov 24 12:00" beyond: for tooltips and the data table. */
    public String label(Instant t) {
        return Duration.between(from, to).compareTo(Duration.ofDays(1)) > 0 ? DATE.format(t) + " " + TIME.format(t) : TIME.format(t);
    }
}
