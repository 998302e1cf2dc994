package dev.gatewatch.dashboard;

import java.time.Instant;
import java.time.LocalDate;

import dev.gatewatch.dashboard.model.Day;
import dev.gatewatch.dashboard.model.Uptime;

/**
 * One monitor's completed history as of a day and an hour: the {@value #DAYS} days before today and the {@value #HOURS}
 * hours before the current one. Completed periods hardly change, so a node keeps these for a while and reads only the
 * current day and hour per request; that is what keeps a 1,000-monitor list or status page fast.
 */
final class PastRollups {

    static final int DAYS = DashboardQueries.STRIP_DAYS - 1;
    static final int HOURS = 23;

    final LocalDate today;
    final Instant hour;
    final Instant loadedAt;
    final long[] dayChecks = new long[DAYS];
    final long[] dayFailures = new long[DAYS];
    final long[] hourChecks = new long[HOURS];
    final long[] hourFailures = new long[HOURS];
    final long[] hourOkMs = new long[HOURS];
    private volatile String cells;

    PastRollups(LocalDate today, Instant hour, Instant loadedAt) {
        this.today = today;
        this.hour = hour;
        this.loadedAt = loadedAt;
    }

    /** Checks and failures over the {@code days} days before today. */
    Uptime days(int days) {
        long c = 0;
        long f = 0;
        for (int i = DAYS - days; i < DAYS; i++) {
            c += dayChecks[i];
            f += dayFailures[i];
        }
        return new Uptime(c, f);
    }

    Uptime hours() {
        long c = 0;
        long f = 0;
        for (int i = 0; i < HOURS; i++) {
            c += hourChecks[i];
            f += hourFailures[i];
        }
        return new Uptime(c, f);
    }

    /** Mean response time of the passing checks of completed hour {@code i}, or null. */
    Integer hourMeanMs(int i) {
        long ok = hourChecks[i] - hourFailures[i];
        return ok <= 0 ? null : (int) Math.round(hourOkMs[i] / (double) ok);
    }

    Day day(int i) {
        return new Day(today.minusDays(DAYS - i), new Uptime(dayChecks[i], dayFailures[i]));
    }

    /** The strip cells of the completed days, built once per load. */
    String cells() {
        String c = cells;
        if (c == null) {
            java.util.List<Day> days = new java.util.ArrayList<>(DAYS);
            for (int i = 0; i < DAYS; i++) {
                days.add(day(i));
            }
            c = Day.cells(days);
            cells = c;
        }
        return c;
    }

    boolean current(LocalDate day, Instant hourStart, Instant notBefore) {
        return today.equals(day) && hour.equals(hourStart) && loadedAt.isAfter(notBefore);
    }
}
