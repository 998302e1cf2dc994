package dev.gatewatch.dashboard.model;

import java.util.List;

/**
 * A tiny response-time line for the monitor list: one point per hour of the last day, drawn server-side as SVG
 * polyline points in a {@value #WIDTH}×{@value #HEIGHT} box. Hours without a passing check break the line; an hour
 * with gaps on both sides (a new monitor's first hour, say) is a short dash, since a lone "M" would draw nothing.
 */
public record Sparkline(List<Integer> values) {

    public static final int WIDTH = 96;
    public static final int HEIGHT = 24;
    private static final int DASH = 3;

    /** SVG path data ("M0,12L4,10..."), empty without data. */
    public String path() {
        int max = values.stream().filter(v -> v != null).mapToInt(Integer::intValue).max().orElse(0);
        if (max <= 0) {
            return "";
        }
        StringBuilder d = new StringBuilder();
        double step = values.size() > 1 ? (double) WIDTH / (values.size() - 1) : 0;
        boolean pen = false;
        for (int i = 0; i < values.size(); i++) {
            Integer v = values.get(i);
            if (v == null) {
                pen = false;
                continue;
            }
            double y = HEIGHT - 2 - (HEIGHT - 4) * (double) v / max;
            boolean alone = !pen && (i + 1 == values.size() || values.get(i + 1) == null);
            double x = alone ? Math.min(i * step, WIDTH - DASH) : i * step;
            d.append(pen ? 'L' : 'M').append(Math.round(x * 10) / 10.0).append(',').append(Math.round(y * 10) / 10.0);
            if (alone) {
                d.append('h').append(DASH);
            }
            pen = true;
        }
        return d.toString();
    }

    /** For screen readers: "response time over the last 24 h, 120 to 480 ms". */
    public String description() {
        var stats = values.stream().filter(v -> v != null).mapToInt(Integer::intValue).summaryStatistics();
        return stats.getCount() == 0 ? "no response times in the last 24 h"
                : "response time over the last 24 h, " + stats.getMin() + " to " + stats.getMax() + " ms";
    }
}
