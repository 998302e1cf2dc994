package dev.gatewatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.analysis.service.IncidentView;
import dev.gatewatch.check.service.LatestView;
import dev.gatewatch.dashboard.model.ChartRange;
import dev.gatewatch.dashboard.model.StreamGrid;
import dev.gatewatch.dashboard.model.TimelineEntry;

/** The monitor page's pure parts: chart ranges, the stream grid, and incidents unpacked from the analyzer's JSON. */
class MonitorDetailModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T05:42:17Z");

    static Stream<Arguments> ranges() {
        return Stream.of(
                // code → range, table, first point
                Arguments.of("1h", ChartRange.HOUR, "check_rollup_minute", "2026-11-25T04:42:00Z"),
                Arguments.of("6h", ChartRange.SIX_HOURS, "check_rollup_minute", "2026-11-24T23:42:00Z"),
                Arguments.of("24h", ChartRange.DAY, "check_rollup_minute", "2026-11-24T05:40:00Z"),
                Arguments.of("7d", ChartRange.WEEK, "check_rollup_hour", "2026-11-18T05:00:00Z"),
                Arguments.of("30d", ChartRange.MONTH, "check_rollup_hour", "2026-10-26T03:00:00Z"),
                Arguments.of("90d", ChartRange.QUARTER, "check_rollup_hour", "2026-08-27T00:00:00Z"),
                Arguments.of(null, ChartRange.DAY, "check_rollup_minute", "2026-11-24T05:40:00Z"),
                Arguments.of("1y", ChartRange.DAY, "check_rollup_minute", "2026-11-24T05:40:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void ranges(String code, ChartRange range, String table, String from) {
        assertEquals(range, ChartRange.parse(code));
        assertEquals(table, range.table());
        assertEquals(Instant.parse(from), range.from(NOW));
        assertTrue(range.span().dividedBy(range.bin()) <= 300, "at most 300 points per line");
    }

    private static LatestView latest(String region, String resolver) {
        return new LatestView(region, resolver, 1, NOW, true, 200, null, 100, "127.0.0.2", null);
    }

    @Test
    void streamGridHasARowPerRegionAndAColumnPerResolver() {
        StreamGrid grid = StreamGrid.of(List.of(latest("us-east", "system"), latest("eu-west", "system"), latest("eu-west", "1.1.1.1")));
        assertEquals(List.of("1.1.1.1", "system"), grid.resolvers());
        assertEquals(List.of("eu-west", "us-east"), grid.rows().stream().map(StreamGrid.Row::region).toList());
        assertEquals("1.1.1.1", grid.rows().get(0).cells().get(0).resolver());
        assertNull(grid.rows().get(1).cells().get(0), "us-east has nothing through 1.1.1.1");
        assertTrue(StreamGrid.of(List.of()).empty());
    }

    private static IncidentView incident(String kind, String scope, String evidence, String explanation, Long minDuration, Long maxDuration)
            throws Exception {
        return new IncidentView(7, 1, "m", "availability", kind, "resolved", NOW, null, NOW.plusSeconds(20), 20, null, minDuration, maxDuration,
                "whole", "summary", JSON.readTree(scope), JSON.readTree(evidence), JSON.readTree(explanation), null, null);
    }

    static Stream<Arguments> tones() {
        return Arrays.stream(new String[][] {{"outage", "severe"}, {"partial", "severe"}, {"flapping", "severe"}, {"degraded", "severe"},
                {"deploy_blip", "light"}, {"transient", "light"}, {"suspect", "light"}}).map(a -> Arguments.of(a[0], a[1]));
    }

    @ParameterizedTest
    @MethodSource
    void tones(String kind, String tone) throws Exception {
        assertEquals(tone, TimelineEntry.of(incident(kind, "{}", "{}", "{}", null, null), null).tone());
    }

    @Test
    void emptyJsonGivesAnEntryWithoutEvidence() throws Exception {
        TimelineEntry e = TimelineEntry.of(incident("deploy_blip", "{}", "{}", "{}", null, null), null);
        assertEquals("Deploy blip", e.classification());
        assertFalse(e.hasEvidence());
        assertFalse(e.explanation().any());
        assertEquals(List.of(), e.events());
        assertNull(e.maxDuration());
        assertEquals("20 s", e.lasted(), "without bounds: first failure to recovery");
    }

    @Test
    void evidenceIsUnpacked() throws Exception {
        TimelineEntry e = TimelineEntry.of(incident("partial", """
                {"extent":"RESOLVER","regions":["us-east"],"addresses":{"8.8.8.8":["127.0.0.3"],"system":[]},"healthyAddresses":["127.0.0.2"],
                 "pops":["AMS"],"healthyPops":["FRA"]}""", """
                {"statuses":[502,503],"errorClasses":["connect_refused"],"layers":{"edge:cloudflare":1,"origin:nginx":2},
                 "first":[{"resultId":5,"region":"us-east","resolver":"8.8.8.8","at":"2026-11-25T05:42:17Z","status":502,"errorClass":null,
                           "resolvedIp":"127.0.0.3","cdnPop":"AMS","generator":"nginx"}],
                 "latest":[{"resultId":5,"region":"us-east","resolver":"8.8.8.8","at":"2026-11-25T05:42:17Z","status":502,"errorClass":null,
                           "resolvedIp":"127.0.0.3","cdnPop":"AMS","generator":"nginx"},
                           {"resultId":6,"region":"us-east","resolver":"system","at":"2026-11-25T05:42:27Z","status":null,
                            "errorClass":"CONNECT_REFUSED","resolvedIp":"127.0.0.3"}]}""",
                "{\"layer\":\"nginx at the origin answered 502\",\"firstStep\":\"dig\"}", 10L, 35L), null);
        assertEquals(List.of(new TimelineEntry.Addresses("8.8.8.8", List.of("127.0.0.3")), new TimelineEntry.Addresses("system", List.of())),
                e.addresses());
        assertEquals(List.of("502", "503"), e.statuses());
        assertEquals(List.of(new TimelineEntry.Layer("edge:cloudflare", 1), new TimelineEntry.Layer("origin:nginx", 2)), e.layers());
        assertEquals(List.of("HTTP 502 (nginx)", "connect_refused"), e.samples().stream().map(TimelineEntry.Sample::failure).toList(),
                "the first and latest lists share a check; it is shown once");
        assertEquals("nginx at the origin answered 502", e.explanation().layer());
        assertNull(e.explanation().cause());
        assertEquals(Duration.ofSeconds(10), e.minDuration());
        assertEquals(Duration.ofSeconds(35), e.maxDuration());
        assertEquals("10–35 s", e.lasted());
        assertTrue(e.hasEvidence());
    }
}
