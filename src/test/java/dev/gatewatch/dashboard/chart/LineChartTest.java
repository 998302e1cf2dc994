package dev.gatewatch.dashboard.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SVG line chart, its axes and the timing bars: pure geometry and text, no Quarkus. */
class LineChartTest {

    private static final Instant T0 = Instant.parse("2026-11-24T05:42:00Z");
    private static final Instant T1 = T0.plus(Duration.ofDays(1));

    static Stream<Arguments> valueAxis() {
        return Stream.of(
                // largest value → top of the axis, step between labels
                Arguments.of(0, 100, 25),
                Arguments.of(1, 1, 1),
                Arguments.of(7, 8, 2),
                Arguments.of(143, 150, 50),
                Arguments.of(999, 1000, 500),
                Arguments.of(1000, 1000, 500),
                Arguments.of(1001, 1500, 500),
                Arguments.of(12_000, 15_000, 5000));
    }

    @ParameterizedTest(name = "max {0} → 0..{1} by {2}")
    @MethodSource
    void valueAxis(long max, long top, long step) {
        ValueAxis axis = ValueAxis.of(max, 4, 260, 16);
        assertEquals(top, axis.top());
        assertEquals(step, axis.step());
        assertEquals(260, axis.y(0), 1e-9);
        assertEquals(16, axis.y(top), 1e-9);
        assertEquals(138, axis.y(top / 2.0), 1e-9);
        assertTrue(axis.ticks().size() <= 6, "few labels: " + axis.ticks());
    }

    @Test
    void valueLabelsStayNarrow() {
        assertEquals(List.of("0", "5k", "10k", "15k"), ValueAxis.of(12_000, 4, 260, 16).ticks().stream().map(Tick::label).toList());
    }

    static Stream<Arguments> timeTicks() {
        return Stream.of(
                // range, tick step, labels
                Arguments.of(Duration.ofHours(1), Duration.ofMinutes(10), List.of("05:50", "06:00", "06:10", "06:20", "06:30", "06:40")),
                Arguments.of(Duration.ofHours(6), Duration.ofHours(1), List.of("06:00", "07:00", "08:00", "09:00", "10:00", "11:00")),
                Arguments.of(Duration.ofDays(1), Duration.ofHours(6), List.of("06:00", "12:00", "18:00", "Nov 25")),
                Arguments.of(Duration.ofDays(7), Duration.ofDays(1), List.of("Nov 25", "Nov 26", "Nov 27", "Nov 28", "Nov 29", "Nov 30", "Dec 1")),
                Arguments.of(Duration.ofDays(30), Duration.ofDays(7), List.of("Nov 26", "Dec 3", "Dec 10", "Dec 17", "Dec 24")),
                Arguments.of(Duration.ofDays(90), Duration.ofDays(14), List.of("Dec 3", "Dec 17", "Dec 31", "Jan 14", "Jan 28", "Feb 11")));
    }

    @ParameterizedTest(name = "{0}: every {1}")
    @MethodSource
    void timeTicks(Duration range, Duration step, List<String> labels) {
        TimeAxis axis = new TimeAxis(T0, T0.plus(range), 64, 784);
        assertEquals(step, axis.step(7));
        assertEquals(labels, axis.ticks(7).stream().map(Tick::label).toList());
        assertTrue(axis.ticks(7).stream().allMatch(t -> t.at() >= 64 && t.at() <= 784), "ticks inside the plot");
    }

    @Test
    void timeScaleMapsTheRangeOntoThePlot() {
        TimeAxis axis = new TimeAxis(T0, T1, 64, 784);
        assertEquals(64, axis.x(T0), 1e-9);
        assertEquals(784, axis.x(T1), 1e-9);
        assertEquals(424, axis.x(T0.plus(Duration.ofHours(12))), 1e-9);
        assertEquals("05:42", axis.label(T0));
        assertEquals("Nov 24 05:42", new TimeAxis(T0, T0.plus(Duration.ofDays(7)), 0, 1).label(T0));
    }

    private static Series series(String name, int... minutes) {
        List<Point> points = new ArrayList<>();
        for (int m : minutes) {
            points.add(new Point(T0.plus(Duration.ofMinutes(m)), 100 + m, null));
        }
        return new Series(name, points);
    }

    private static LineChart chart(Duration maxGap, List<Series> series, List<Marker> markers, List<Band> bands) {
        return new LineChart("Response time per region", "ms", T0, T0.plus(Duration.ofHours(1)), Duration.ofMinutes(1), maxGap,
                series, markers, bands);
    }

    static Stream<Arguments> gaps() {
        return Stream.of(
                // points (minutes), longest joined gap, segment sizes
                Arguments.of(new int[] {0, 1, 2, 3}, Duration.ofMinutes(2), List.of(4)),
                Arguments.of(new int[] {0, 1, 2, 5, 6}, Duration.ofMinutes(2), List.of(3, 2)),
                Arguments.of(new int[] {0, 1, 2, 5, 6}, Duration.ofMinutes(3), List.of(5)),
                Arguments.of(new int[] {0, 10, 11, 30}, Duration.ofMinutes(2), List.of(1, 2, 1)),
                Arguments.of(new int[] {0, 5, 10, 15}, Duration.ofMinutes(10), List.of(4)),
                Arguments.of(new int[] {}, Duration.ofMinutes(2), List.of()));
    }

    @ParameterizedTest
    @MethodSource
    void gaps(int[] minutes, Duration maxGap, List<Integer> sizes) {
        LineChart c = chart(maxGap, List.of(series("eu-west", minutes)), List.of(), List.of());
        assertEquals(sizes, c.segments(c.series().get(0)).stream().map(List::size).toList());
        String svg = c.svg();
        // a segment of one point is a dot; longer ones are paths that start with one move each
        assertEquals(sizes.stream().filter(s -> s == 1).count(), count(svg, "<circle class=\"dot series-0\""));
        assertEquals(sizes.stream().filter(s -> s > 1).count(), count(svg, "<path class=\"line series-0\" d=\"M"));
        assertEquals(minutes.length, count(svg, "<rect class=\"hit\""), "one tooltip column per bucket");
    }

    @Test
    void gapsBreakThePathIntoSeparateSubpaths() {
        String svg = chart(Duration.ofMinutes(2), List.of(series("eu-west", 0, 1, 2, 5, 6)), List.of(), List.of()).svg();
        Matcher m = Pattern.compile("<path class=\"line series-0\" d=\"([^\"]+)\"").matcher(svg);
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            paths.add(m.group(1));
        }
        // x: 72 + 712 * minute / 60; y: 260 - 224 * value / 150 (values 100..106, axis 0..150)
        assertEquals(List.of("M72.0,110.7L83.9,109.2L95.7,107.7", "M131.3,103.2L143.2,101.7"), paths);
    }

    static Stream<Arguments> markers() {
        return Stream.of(
                // marker minute after T0 (may be outside the hour), shown, x
                Arguments.of(0, true, 72.0),
                Arguments.of(30, true, 428.0),
                Arguments.of(60, true, 784.0),
                Arguments.of(-5, false, 0.0),
                Arguments.of(61, false, 0.0));
    }

    @ParameterizedTest(name = "marker at minute {0}")
    @MethodSource
    void markers(int minute, boolean shown, double x) {
        Marker marker = new Marker(T0.plus(Duration.ofMinutes(minute)), "v1.8.0", "Deployment v1.8.0: release 7");
        LineChart c = chart(Duration.ofMinutes(2), List.of(series("eu-west", 0, 1, 2)), List.of(marker), List.of());
        String svg = c.svg();
        assertEquals(shown, svg.contains("<title>Deployment v1.8.0: release 7</title>"), svg);
        assertEquals(shown ? 1 : 0, c.visibleMarkers().size());
        if (shown) {
            assertTrue(svg.contains(String.format(java.util.Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"36.0\" y2=\"260.0\"/>", x, x)), svg);
            assertTrue(svg.contains(">v1.8.0</text>"));
            assertTrue(c.summary().endsWith("; 1 deployment."), c.summary());
        }
    }

    static Stream<Arguments> bands() {
        return Stream.of(
                // from, to (minutes after T0), severe → css class, x, width
                Arguments.of(10, 20, true, "band-severe", 190.7, 118.7),
                Arguments.of(-30, 6, false, "band-light", 72.0, 71.2),   // clipped at the start
                Arguments.of(59, 90, true, "band-severe", 772.1, 11.9),  // clipped at the end
                Arguments.of(30, 30, false, "band-light", 428.0, 2.0));  // a 1 s blip stays visible
    }

    @ParameterizedTest(name = "band {0}..{1}")
    @MethodSource
    void bands(int from, int to, boolean severe, String css, double x, double width) {
        Band band = new Band(T0.plus(Duration.ofMinutes(from)), T0.plus(Duration.ofMinutes(to)).plusSeconds(from == to ? 1 : 0), severe,
                severe ? "Outage: down" : "Deploy blip: 20 s");
        String svg = chart(Duration.ofMinutes(2), List.of(series("eu-west", 0, 1, 2)), List.of(), List.of(band)).svg();
        assertTrue(svg.contains(String.format(java.util.Locale.ROOT, "<rect class=\"band %s\" x=\"%.1f\" y=\"36.0\" width=\"%.1f\"", css, x, width)), svg);
    }

    @Test
    void bandsOutsideTheRangeAreLeftOutAndBandsNameTheirKindInTheTooltip() {
        Band outside = new Band(T0.minus(Duration.ofHours(3)), T0.minus(Duration.ofHours(2)), true, "Outage: earlier");
        Band blip = new Band(T0.plusSeconds(30), T0.plusSeconds(60), false, "Deploy blip: 30 s");
        LineChart c = chart(Duration.ofMinutes(2), List.of(series("eu-west", 0, 1)), List.of(), List.of(outside, blip));
        assertEquals(List.of(blip), c.visibleBands());
        String svg = c.svg();
        assertFalse(svg.contains("earlier"));
        // the column under the blip names it too, since the column's tooltip covers the band
        assertTrue(svg.contains("05:42 UTC\neu-west: 100 ms\nDeploy blip: 30 s</title>"), svg);
    }

    @Test
    void emptyDataSaysNoData() {
        LineChart c = chart(Duration.ofMinutes(2), List.of(), List.of(), List.of());
        assertTrue(c.empty());
        assertTrue(c.svg().contains(">No data for this range</text>"));
        assertEquals("Response time per region, 05:42 to 06:42 UTC: no data.", c.summary());
        LineChart seriesWithoutPoints = chart(Duration.ofMinutes(2), List.of(series("eu-west")), List.of(), List.of());
        assertTrue(seriesWithoutPoints.empty());
        assertEquals("no data", seriesWithoutPoints.legend().get(0).figures());
        assertTrue(seriesWithoutPoints.svg().contains(LineChart.NO_DATA));
        assertFalse(chart(Duration.ofMinutes(2), List.of(series("eu-west", 3)), List.of(), List.of()).svg().contains(LineChart.NO_DATA));
    }

    @Test
    void summaryLegendAndTableDescribeEverySeries() {
        LineChart c = chart(Duration.ofMinutes(2), List.of(series("eu-west", 0, 1, 2), series("us-east", 10, 20)), List.of(), List.of());
        assertEquals("Response time per region, 05:42 to 06:42 UTC: eu-west 100 to 102 ms (average 101); us-east 110 to 120 ms (average 115).",
                c.summary());
        assertEquals(List.of(new LineChart.Legend("eu-west", "series-0", "average 101 ms, 100–102 ms"),
                new LineChart.Legend("us-east", "series-1", "average 115 ms, 110–120 ms")), c.legend());
        assertEquals(new LineChart.Row("us-east", 2, 110, 115, 120, 120), c.rows().get(1));
        assertTrue(c.svg().startsWith("<svg class=\"chart\" viewBox=\"0 0 800 300\" role=\"img\" aria-label=\"Response time per region"));
    }

    @Test
    void pointsOutsideTheRangeAreDropped() {
        LineChart c = chart(Duration.ofMinutes(2), List.of(series("eu-west", -10, 0, 1, 70)), List.of(), List.of());
        assertEquals(2, c.rows().get(0).points());
    }

    static Stream<Arguments> colours() {
        return Stream.of(Arguments.of(0, "series-0"), Arguments.of(7, "series-7"), Arguments.of(8, "series-0 alt"),
                Arguments.of(13, "series-5 alt"));
    }

    @ParameterizedTest
    @MethodSource
    void colours(int index, String css) {
        assertEquals(css, LineChart.css(index));
    }

    @Test
    void textFromUsersIsEscaped() {
        Marker marker = new Marker(T0.plus(Duration.ofMinutes(5)), "<b>v2</b>", "Deployment \"x\" & <script>alert(1)</script>");
        String svg = chart(Duration.ofMinutes(2), List.of(series("a<b", 0, 1)), List.of(marker), List.of()).svg();
        assertFalse(svg.contains("<script>"));
        assertFalse(svg.contains("<b>"));
        assertTrue(svg.contains("Deployment &quot;x&quot; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(svg.contains("a&lt;b: 100 ms"));
    }

    static Stream<Arguments> phaseBars() {
        return Stream.of(
                // dns, connect, tls, ttfb, download, total, scale → phases, widths, text
                Arguments.of(10, 20, 30, 40, 0, 100, 100, List.of("dns", "connect", "tls", "ttfb", "download"), List.of(10.0, 20.0, 30.0, 40.0, 0.0),
                        "DNS 10 ms, connect 20 ms, TLS 30 ms, TTFB 40 ms, download 0 ms"),
                Arguments.of(5, 10, null, 30, 5, 50, 200, List.of("dns", "connect", "ttfb", "download"), List.of(2.5, 5.0, 15.0, 2.5),
                        "DNS 5 ms, connect 10 ms, TTFB 30 ms, download 5 ms"),
                Arguments.of(3, 1000, null, null, null, 1003, 1003, List.of("dns", "connect"), List.of(0.3, 99.7), "DNS 3 ms, connect 1000 ms"),
                Arguments.of(null, null, null, null, null, 5000, 5000, List.of(), List.of(), "no timings"),
                // never wider than the box, even if the phases add up to more than the scale
                Arguments.of(80, 80, null, null, null, 160, 100, List.of("dns", "connect"), List.of(80.0, 20.0), "DNS 80 ms, connect 80 ms"));
    }

    @ParameterizedTest
    @MethodSource
    void phaseBars(Integer dns, Integer connect, Integer tls, Integer ttfb, Integer download, int total, int scale, List<String> phases,
            List<Double> widths, String text) {
        PhaseBar bar = PhaseBar.of(dns, connect, tls, ttfb, download, total, scale);
        assertEquals(phases, bar.segments().stream().map(PhaseBar.Segment::phase).toList());
        List<Double> actual = bar.segments().stream().map(s -> Math.round(s.width() * 10) / 10.0).toList();
        assertEquals(widths, actual);
        assertEquals(text, bar.text());
        double x = 0;
        for (PhaseBar.Segment s : bar.segments()) {
            assertEquals(x, s.x(), 1e-9, "segments follow each other");
            x += s.width();
        }
    }

    private static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
