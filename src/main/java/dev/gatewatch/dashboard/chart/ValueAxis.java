package dev.gatewatch.dashboard.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps values in [0, top] onto [bottom, topY] (SVG y grows downwards); top is the data's maximum rounded up to a step
 * of 1, 2 or 5 times a power of ten, so the labels are round numbers.
 */
public record ValueAxis(long top, long step, double bottomY, double topY) {

    /** An axis for values up to {@code max} with about {@code ticks} steps; 0..100 without data. */
    public static ValueAxis of(long max, int ticks, double bottomY, double topY) {
        if (max <= 0) {
            return new ValueAxis(100, 25, bottomY, topY);
        }
        double raw = max / (double) ticks;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        long step = Math.max(1, Math.round((norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude));
        return new ValueAxis((max + step - 1) / step * step, step, bottomY, topY);
    }

    public double y(double value) {
        return bottomY - (bottomY - topY) * value / top;
    }

    /** 0, step, 2·step, ..., top; "12k" from 10,000 on, to keep the labels narrow. */
    public List<Tick> ticks() {
        boolean thousands = top >= 10_000 && step % 1000 == 0;
        List<Tick> out = new ArrayList<>();
        for (long v = 0; v <= top; v += step) {
            out.add(new Tick(y(v), thousands && v > 0 ? v / 1000 + "k" : Long.toString(v)));
        }
        return out;
    }
}
