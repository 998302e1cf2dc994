package dev.gatewatch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatewatch.check.service.Coverage;
import dev.gatewatch.check.service.RegionView;

class CoverageTest {

    private static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    private static RegionView live(String name) {
        return new RegionView(name, true, 1, NOW, null, List.of());
    }

    private static RegionView quietFor(String name, int seconds) {
        return new RegionView(name, false, 0, NOW.minusSeconds(seconds), NOW.minusSeconds(seconds), List.of());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // regions, each monitor's regions, expected "region:monitors" silent, expected unchecked
                Arguments.of(List.of(live("eu"), live("us")), List.of(List.of(), List.of("eu")), List.of(), 0),
                Arguments.of(List.of(live("eu"), quietFor("us", 120)), List.of(List.of(), List.of("eu")), List.of("us:1"), 0),
                Arguments.of(List.of(live("eu"), quietFor("us", 120)), List.of(List.of(), List.of("us")), List.of("us:2"), 1),
                Arguments.of(List.of(live("eu"), quietFor("us", 120)), List.of(List.of("eu", "us")), List.of("us:1"), 0),
                // Within the grace (a restart, a node that just stopped cleanly): not silent yet.
                Arguments.of(List.of(live("eu"), quietFor("us", 30)), List.of(List.of()), List.of(), 0),
                Arguments.of(List.of(live("eu"), quietFor("us", 31)), List.of(List.of()), List.of("us:1"), 0),
                // Every region silent: monitors on every region are unchecked too.
                Arguments.of(List.of(quietFor("us", 600), quietFor("eu", 600)), List.of(List.of()), List.of("eu:1", "us:1"), 1),
                // A region no checker ever ran in is not "silent", but a monitor only there is unchecked.
                Arguments.of(List.of(live("eu")), List.of(List.of("ap")), List.of(), 1),
                // A silent region that checks none of the monitors is not the owner's concern.
                Arguments.of(List.of(live("eu"), quietFor("us", 600)), List.of(List.of("eu")), List.of(), 0),
                Arguments.of(List.of(live("eu")), List.of(), List.of(), 0));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void silentRegionsAndUncheckedMonitors(List<RegionView> regions, List<List<String>> monitors, List<String> silent, int unchecked) {
        Coverage c = Coverage.of(regions, monitors, NOW, GRACE);
        assertEquals(silent, c.silent().stream().map(r -> r.region() + ":" + r.monitors()).toList());
        assertEquals(unchecked, c.unchecked());
        assertEquals(silent.isEmpty() && unchecked == 0, c.full());
    }
}
