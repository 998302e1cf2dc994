package dev.gatewatch.dashboard.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where one check spent its time, as a stacked horizontal bar: DNS, connect, TLS, time to first byte, download, in
 * that order, drawn in a 0–100 wide box scaled so that {@code scaleMs} (the slowest check shown) fills it. Phases that
 * did not happen (no TLS for http, nothing after a refused connect) are left out.
 */
public record PhaseBar(List<Segment> segments, int totalMs) {

    /** One phase: its name ("dns", "connect", "tls", "ttfb", "download"), words, milliseconds and place in the box. */
    public record Segment(String phase, String label, int ms, double x, double width) {

        public String xText() {
            return String.format(Locale.ROOT, "%.2f", x);
        }

        public String widthText() {
            return String.format(Locale.ROOT, "%.2f", width);
        }
    }

    static final String[] PHASES = {"dns", "connect", "tls", "ttfb", "download"};
    static final String[] LABELS = {"DNS", "connect", "TLS", "TTFB", "download"};

    public static PhaseBar of(Integer dnsMs, Integer connectMs, Integer tlsMs, Integer ttfbMs, Integer downloadMs, int totalMs, int scaleMs) {
        Integer[] ms = {dnsMs, connectMs, tlsMs, ttfbMs, downloadMs};
        double scale = Math.max(1, scaleMs);
        List<Segment> out = new ArrayList<>();
        double x = 0;
        for (int i = 0; i < ms.length; i++) {
            if (ms[i] == null) {
                continue;
            }
            double width = Math.min(100 - x, 100 * ms[i] / scale);
            out.add(new Segment(PHASES[i], LABELS[i], ms[i], x, Math.max(0, width)));
            x += Math.max(0, width);
        }
        return new PhaseBar(out, totalMs);
    }

    /** "DNS 12 ms, connect 30 ms, TLS 45 ms, TTFB 120 ms, download 3 ms": the same numbers in words. */
    public String text() {
        List<String> parts = segments.stream().map(s -> s.label() + " " + s.ms() + " ms").toList();
        return parts.isEmpty() ? "no timings" : String.join(", ", parts);
    }
}
