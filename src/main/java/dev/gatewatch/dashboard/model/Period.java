package dev.gatewatch.dashboard.model;

import java.util.Arrays;
import java.util.Optional;

/** The uptime periods the dashboard and badges offer. */
public enum Period {
    DAY("24h", 1), WEEK("7d", 7), MONTH("30d", 30), QUARTER("90d", 90);

    private final String code;
    private final int days;

    Period(String code, int days) {
        this.code = code;
        this.days = days;
    }

    public String code() {
        return code;
    }

    public int days() {
        return days;
    }

    public static Optional<Period> parse(String code) {
        return Arrays.stream(values()).filter(p -> p.code.equals(code)).findFirst();
    }
}
