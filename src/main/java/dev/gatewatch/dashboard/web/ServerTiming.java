package dev.gatewatch.dashboard.web;

import java.util.Locale;

/**
 * A {@code Server-Timing} header ("data;dur=12.3, render;dur=4.1"): browsers' developer tools show where a page's
 * time went, and the dashboard benchmark reads the server's own figures from it.
 */
final class ServerTiming {

    static final String HEADER = "Server-Timing";

    private long mark = System.nanoTime();
    private final StringBuilder value = new StringBuilder();

    /** Ends a phase begun at the previous lap (or at construction). */
    ServerTiming lap(String phase) {
        long now = System.nanoTime();
        value.append(value.length() == 0 ? "" : ", ").append(phase).append(";dur=")
                .append(String.format(Locale.ROOT, "%.1f", (now - mark) / 1e6));
        mark = now;
        return this;
    }

    String value() {
        return value.toString();
    }
}
