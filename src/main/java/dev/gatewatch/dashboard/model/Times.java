package dev.gatewatch.dashboard.model;

import java.time.Duration;

/** Durations and points in time in the words pages use (UTC: owners have no time zone yet). */
public final class Times {

    private static final java.time.format.DateTimeFormatter UTC = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    private Times() {
    }

    /** "42 s", "5 min", "3 h 10 min", "2 d 4 h". */
    public static String words(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86400) {
            return s / 3600 + " h" + (s % 3600 >= 60 ? " " + s % 3600 / 60 + " min" : "");
        }
        return s / 86400 + " d" + (s % 86400 >= 3600 ? " " + s % 86400 / 3600 + " h" : "");
    }

    /** "2026-11-24 05:42:07 UTC", or "–". */
    public static String utc(java.time.Instant t) {
        return t == null ? "–" : UTC.format(t);
    }
}
