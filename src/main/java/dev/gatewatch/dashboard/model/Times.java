package dev.gatewatch.dashboard.model;

/** Points in time in the words pages use (UTC: owners have no time zone yet); durations are {@code api.Durations}. */
public final class Times {

    private static final java.time.format.DateTimeFormatter UTC = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    private Times() {
    }

    /** "2026-11-24 05:42:07 UTC", or "–". */
    public static String utc(java.time.Instant t) {
        return t == null ? "–" : UTC.format(t);
    }
}
