package dev.gatewatch.dashboard.chart;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A server-side SVG line chart of values over time: one line per series, vertical lines for markers (deployments),
 * shaded bands (incidents), axis labels, and a tooltip per time bucket listing every series. Colours come from CSS
 * classes ({@code series-0} … {@code series-7}, then dashed) and {@code currentColor}, so dark mode works; the SVG
 * scales with its {@code viewBox}. Points further apart than {@code maxGap} are not joined.
 *
 * @param title  what is charted, for the accessible summary ("Response time per region")
 * @param unit   the values' unit ("ms")
 * @param step   the width of a time bucket (a point covers [at, at + step))
 * @param maxGap the longest distance between two points still joined by a line
 */
public record LineChart(String title, String unit, Instant from, Instant to, Duration step, Duration maxGap,
                        List<Series> series, List<Marker> markers, List<Band> bands) {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 300;
    static final double LEFT = 72;
    static final double RIGHT = WIDTH - 16;
    static final double TOP = 36;
    static final double BOTTOM = HEIGHT - 40;
    static final int COLOURS = 8;
    public static final String NO_DATA = "No data for this range";

    /** A legend entry: the series' name, its CSS classes and its figures in words. */
    public record Legend(String name, String css, String figures) {
    }

    /** The data-table row of a series: how many points, lowest, average, highest and latest value. */
    public record Row(String name, int points, Integer min, Integer mean, Integer max, Integer latest) {
    }

    public TimeAxis timeAxis() {
        return new TimeAxis(from, to, LEFT, RIGHT);
    }

    public ValueAxis valueAxis() {
        return ValueAxis.of(inRange().stream().flatMap(s -> s.points().stream()).mapToLong(Point::value).max().orElse(0), 4, BOTTOM, TOP);
    }

    public boolean empty() {
        return inRange().stream().allMatch(s -> s.points().isEmpty());
    }

    /** The series cut to the chart's time range (in case the caller passed a little more). */
    List<Series> inRange() {
        TimeAxis t = timeAxis();
        return series.stream().map(s -> new Series(s.name(), s.points().stream().filter(p -> t.contains(p.at())).toList())).toList();
    }

    public List<Marker> visibleMarkers() {
        TimeAxis t = timeAxis();
        return markers.stream().filter(m -> t.contains(m.at())).toList();
    }

    public List<Band> visibleBands() {
        return bands.stream().filter(b -> b.to().isAfter(from) && b.from().isBefore(to)).toList();
    }

    public static String css(int index) {
        return "series-" + index % COLOURS + (index >= COLOURS ? " alt" : "");
    }

    public List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (Series s : inRange()) {
            var stats = s.points().stream().mapToInt(Point::value).summaryStatistics();
            boolean none = stats.getCount() == 0;
            out.add(new Row(s.name(), (int) stats.getCount(), none ? null : stats.getMin(), none ? null : (int) Math.round(stats.getAverage()),
                    none ? null : stats.getMax(), none ? null : s.points().get(s.points().size() - 1).value()));
        }
        return out;
    }

    public List<Legend> legend() {
        List<Legend> out = new ArrayList<>();
        List<Row> rows = rows();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            out.add(new Legend(r.name(), css(i), r.points() == 0 ? "no data"
                    : "average " + r.mean() + " " + unit + ", " + r.min() + "–" + r.max() + " " + unit));
        }
        return out;
    }

    /** The accessible summary: what, when, and each series' range in words; "no data" when there is none. */
    public String summary() {
        TimeAxis t = timeAxis();
        StringBuilder s = new StringBuilder(title).append(", ").append(t.label(from)).append(" to ").append(t.label(to)).append(" UTC: ");
        if (empty()) {
            s.append("no data");
        } else {
            List<String> parts = new ArrayList<>();
            for (Row r : rows()) {
                parts.add(r.points() == 0 ? r.name() + " no data"
                        : r.name() + " " + r.min() + " to " + r.max() + " " + unit + " (average " + r.mean() + ")");
            }
            s.append(String.join("; ", parts));
        }
        int m = visibleMarkers().size();
        int b = visibleBands().size();
        if (m > 0) {
            s.append("; ").append(m).append(m == 1 ? " deployment" : " deployments");
        }
        if (b > 0) {
            s.append("; ").append(b).append(b == 1 ? " incident" : " incidents");
        }
        return s.append('.').toString();
    }

    /** SVG path data of one series: a move at the start and after every gap, lines in between. */
    public List<List<Point>> segments(Series s) {
        List<List<Point>> out = new ArrayList<>();
        List<Point> current = null;
        Point previous = null;
        for (Point p : s.points()) {
            if (previous == null || Duration.between(previous.at(), p.at()).compareTo(maxGap) > 0) {
                current = new ArrayList<>();
                out.add(current);
            }
            current.add(p);
            previous = p;
        }
        return out;
    }

    public String svg() {
        TimeAxis t = timeAxis();
        ValueAxis v = valueAxis();
        List<Series> data = inRange();
        StringBuilder s = new StringBuilder(8192);
        s.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(escape(summary())).append("\">");

        for (Band b : visibleBands()) {
            double x = t.x(b.from().isBefore(from) ? from : b.from());
            double w = Math.max(2, t.x(b.to().isAfter(to) ? to : b.to()) - x);
            s.append("<rect class=\"band ").append(b.severe() ? "band-severe" : "band-light").append("\" x=\"").append(n(x))
                    .append("\" y=\"").append(n(TOP)).append("\" width=\"").append(n(w)).append("\" height=\"").append(n(BOTTOM - TOP))
                    .append("\"><title>").append(escape(b.title())).append("</title></rect>");
        }

        for (Tick tick : v.ticks()) {
            s.append("<line class=\"grid\" x1=\"").append(n(LEFT)).append("\" x2=\"").append(n(RIGHT)).append("\" y1=\"").append(n(tick.at()))
                    .append("\" y2=\"").append(n(tick.at())).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(n(LEFT - 8)).append("\" y=\"").append(n(tick.at()))
                    .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">").append(tick.label()).append("</text>");
        }
        for (Tick tick : t.ticks(7)) {
            s.append("<line class=\"axis\" x1=\"").append(n(tick.at())).append("\" x2=\"").append(n(tick.at())).append("\" y1=\"")
                    .append(n(BOTTOM)).append("\" y2=\"").append(n(BOTTOM + 5)).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(n(tick.at())).append("\" y=\"").append(n(HEIGHT - 8))
                    .append("\" text-anchor=\"middle\">").append(escape(tick.label())).append("</text>");
        }
        s.append("<line class=\"axis\" x1=\"").append(n(LEFT)).append("\" x2=\"").append(n(RIGHT)).append("\" y1=\"").append(n(BOTTOM))
                .append("\" y2=\"").append(n(BOTTOM)).append("\"/>");
        // The unit sits above the plot, clear of the value labels, which stay readable when a phone scales the chart down.
        s.append("<text class=\"unit\" x=\"").append(n(LEFT + 4)).append("\" y=\"").append(n(TOP - 12)).append("\">")
                .append(escape(unit)).append("</text>");

        for (int i = 0; i < data.size(); i++) {
            String css = css(i);
            for (List<Point> segment : segments(data.get(i))) {
                if (segment.size() == 1) {
                    Point p = segment.get(0);
                    s.append("<circle class=\"dot ").append(css).append("\" cx=\"").append(n(t.x(p.at()))).append("\" cy=\"")
                            .append(n(v.y(p.value()))).append("\" r=\"3\"/>");
                    continue;
                }
                s.append("<path class=\"line ").append(css).append("\" d=\"");
                for (int j = 0; j < segment.size(); j++) {
                    Point p = segment.get(j);
                    s.append(j == 0 ? 'M' : 'L').append(n(t.x(p.at()))).append(',').append(n(v.y(p.value())));
                }
                s.append("\"/>");
            }
        }

        // One transparent column per bucket carries the tooltip: every series' value then, and any incident.
        Map<Instant, List<String>> columns = new TreeMap<>();
        for (Series series : data) {
            for (Point p : series.points()) {
                columns.computeIfAbsent(p.at(), k -> new ArrayList<>()).add(series.name() + ": " + p.value() + " " + unit
                        + (p.detail() == null || p.detail().isEmpty() ? "" : " (" + p.detail() + ")"));
            }
        }
        for (var column : columns.entrySet()) {
            Instant at = column.getKey();
            Instant end = at.plus(step).isAfter(to) ? to : at.plus(step);
            double x = t.x(at);
            StringBuilder title = new StringBuilder(t.label(at)).append(" UTC");
            column.getValue().forEach(line -> title.append('\n').append(line));
            for (Band b : visibleBands()) {
                if (b.from().isBefore(end) && b.to().isAfter(at)) {
                    title.append('\n').append(b.title());
                }
            }
            s.append("<rect class=\"hit\" x=\"").append(n(x)).append("\" y=\"").append(n(TOP)).append("\" width=\"")
                    .append(n(Math.max(1, t.x(end) - x))).append("\" height=\"").append(n(BOTTOM - TOP)).append("\"><title>")
                    .append(escape(title.toString())).append("</title></rect>");
        }

        double lastLabel = Double.NEGATIVE_INFINITY;
        for (Marker m : visibleMarkers()) {
            double x = t.x(m.at());
            s.append("<g class=\"marker\"><title>").append(escape(m.title())).append("</title>")
                    .append("<line x1=\"").append(n(x)).append("\" x2=\"").append(n(x)).append("\" y1=\"").append(n(TOP))
                    .append("\" y2=\"").append(n(BOTTOM)).append("\"/>")
                    .append("<line class=\"marker-hit\" x1=\"").append(n(x)).append("\" x2=\"").append(n(x)).append("\" y1=\"")
                    .append(n(TOP)).append("\" y2=\"").append(n(BOTTOM)).append("\"/>");
            if (!m.label().isEmpty() && x - lastLabel >= 90) {
                boolean right = x > RIGHT - 90;
                s.append("<text class=\"marker-label\" x=\"").append(n(right ? x - 4 : x + 4)).append("\" y=\"").append(n(TOP + 12))
                        .append(right ? "\" text-anchor=\"end\">" : "\">").append(escape(m.label())).append("</text>");
                lastLabel = x;
            }
            s.append("</g>");
        }

        if (empty()) {
            s.append("<text class=\"no-data\" x=\"").append(n((LEFT + RIGHT) / 2)).append("\" y=\"").append(n((TOP + BOTTOM) / 2))
                    .append("\" text-anchor=\"middle\">").append(NO_DATA).append("</text>");
        }
        return s.append("</svg>").toString();
    }

    private static String n(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** Escapes text for SVG/XML content and attribute values. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
