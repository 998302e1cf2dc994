package dev.gatewatch.dashboard.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The time ranges of the monitor page's charts. Up to a day they read the minute rollups (kept 3 days), beyond that the
 * hour rollups; the bin keeps every series at or under 300 points.
 */
public enum ChartRange {
    HOUR("1h", "1 hour", Duration.ofHours(1), Duration.ofMinutes(1), false),
    SIX_HOURS("6h", "6 hours", Duration.ofHours(6), Duration.ofMinutes(2), false),
    DAY("24h", "24 hours", Duration.ofDays(1), Duration.ofMinutes(5), false),
    WEEK("7d", "7 days", Duration.ofDays(7), Duration.ofHours(1), true),
    MONTH("30d", "30 days", Duration.ofDays(30), Duration.ofHours(3), true),
    QUARTER("90d", "90 days", Duration.ofDays(90), Duration.ofHours(8), true);

    private final String code;
    private final String label;
    private final Duration span;
    private final Duration bin;
    private final boolean hourly;

    ChartRange(String code, String label, Duration span, Duration bin, boolean hourly) {
        this.code = code;
        this.label = label;
        this.span = span;
        this.bin = bin;
        this.hourly = hourly;
    }

    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    public Duration span() {
        return span;
    }

    /** The width of one chart point. */
    public Duration bin() {
        return bin;
    }

    /** The rollup table to read: hour rollups beyond a day. */
    public String table() {
        return hourly ? "check_rollup_hour" : "check_rollup_minute";
    }

    /** The start of the chart: {@code span} before now, moved back to a bin boundary so the first point is whole. */
    public Instant from(Instant now) {
        long b = bin.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(now.minus(span).getEpochSecond(), b) * b);
    }

    /** Unknown or missing codes give the default, 24 hours: a bad link still shows the page. */
    public static ChartRange parse(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst().orElse(DAY);
    }
}
