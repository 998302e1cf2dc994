package dev.gatewatch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gatewatch.analysis.model.Context;
import dev.gatewatch.analysis.model.Event;
import dev.gatewatch.analysis.model.Extent;
import dev.gatewatch.analysis.model.MonitorState;
import dev.gatewatch.analysis.model.Phase;
import dev.gatewatch.analysis.model.Policy;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.analysis.model.Settings;
import dev.gatewatch.check.cdn.ErrorSource;

/**
 * The checks around the end of the confirmation window, fed in by hand: which cadence the analyzer asks for, a decisive
 * failure stored after a newer pass, an outage of everything ending as it is confirmed, and two passes too close
 * together to end an episode.
 */
class WindowEdgeTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Policy POLICY = new Policy(Duration.ofSeconds(60), 2, null, Duration.ofSeconds(10), true);
    private static final Duration FAST = Duration.ofSeconds(10);
    private static final Duration PRECISE = Duration.ofSeconds(1);
    private static final Set<String> LIVE = Set.of("eu-west", "us-east");

    private final Analyzer analyzer = new Analyzer(Settings.DEFAULTS);

    private record Seen(int second, Event event) {
    }

    private record Case(String name, int lastFailingCheck, Duration expected) {
    }

    @Test
    void theCadenceTightensOnlyNearTheWindowsEnd() {
        // Checks pass at 0 s, then fail from 10 s (taken to have begun at 5 s) to the given second.
        for (Case c : List.of(new Case("just failing", 10, FAST), new Case("30 s in", 40, FAST), new Case("one check short of near", 44, FAST),
                new Case("two fast checks from the window", 45, PRECISE), new Case("at the window", 64, PRECISE))) {
            MonitorState s = MonitorState.initial();
            s = analyzer.step(s, POLICY, List.of(sample("eu-west", 0, true)), context(1)).state();
            for (int at = 10; at <= c.lastFailingCheck(); at += c.lastFailingCheck() == 10 ? 10 : 1) {
                s = analyzer.step(s, POLICY, List.of(sample("eu-west", at, false)), context(at + 1)).state();
            }
            assertEquals(Phase.SUSPECT, s.phase(), c.name());
            assertEquals(c.expected(), Analyzer.recheckEvery(s, POLICY, FAST, PRECISE), c.name());
        }
        assertEquals(null, Analyzer.recheckEvery(MonitorState.initial(), POLICY, FAST, PRECISE), "up: the monitor's own interval");
    }

    @Test
    void aDecisiveFailureStoredAfterANewerPassStillConfirms() {
        // Fails from 10 s (begun at 5 s); the check at 65 s (the window's end) is stored after the pass at 66 s.
        List<Seen> seen = run(List.of(List.of(sample("eu-west", 0, true)), fails("eu-west", 10, 64), List.of(sample("eu-west", 66, true)),
                List.of(sample("eu-west", 65, false)), List.of(sample("eu-west", 76, true))), 80);
        assertEquals(List.of("suspected", "opened", "recovered"), seen.stream().map(x -> x.event().type().code()).toList());
        assertEquals(Extent.WHOLE, seen.get(1).event().episode().scope().extent());
        // Without the late failure the same checks are a blip that just missed the window.
        List<Seen> blip = run(List.of(List.of(sample("eu-west", 0, true)), fails("eu-west", 10, 64), List.of(sample("eu-west", 66, true)),
                List.of(sample("eu-west", 76, true))), 80);
        assertEquals(List.of("suspected", "cleared"), blip.stream().map(x -> x.event().type().code()).toList());
    }

    @Test
    void anOutageOfEverythingEndingAsItIsConfirmedIsNotAPartial() {
        // us-east fails a little later than eu-west and passes again before eu-west's decisive check is stored.
        List<Seen> seen = run(List.of(List.of(sample("eu-west", 0, true), sample("us-east", 3, true)), fails("eu-west", 10, 64),
                fails("us-east", 13, 64), List.of(sample("us-east", 66, true)), List.of(sample("eu-west", 65, false))), 67);
        assertEquals("opened", seen.get(1).event().type().code());
        assertEquals(Extent.WHOLE, seen.get(1).event().episode().scope().extent(), seen.get(1).event().episode().scope().toString());
    }

    @Test
    void twoPassesASecondApartDoNotEndAnEpisode() {
        List<List<Sample>> steps = new ArrayList<>(List.of(List.of(sample("eu-west", 0, true)), fails("eu-west", 10, 30),
                List.of(sample("eu-west", 31, true)), List.of(sample("eu-west", 32, true))));
        assertEquals(List.of("suspected"), run(steps, 40).stream().map(x -> x.event().type().code()).toList(),
                "31 s and 32 s pass: could be a moment between two downs");
        steps.add(List.of(sample("eu-west", 41, true)));
        assertEquals(List.of("suspected", "cleared"), run(steps, 45).stream().map(x -> x.event().type().code()).toList(),
                "a pass 10 s after the first ends it");
    }

    /**
     * Each list is one analyzer pass, run a second after its newest check (or, when that check was stored late, when the
     * previous pass ran); the last pass runs at {@code end}.
     */
    private List<Seen> run(List<List<Sample>> passes, int end) {
        MonitorState s = MonitorState.initial();
        List<Seen> seen = new ArrayList<>();
        int now = 0;
        for (int i = 0; i < passes.size(); i++) {
            List<Sample> pass = passes.get(i);
            now = Math.max(now, pass.stream().mapToInt(x -> (int) Duration.between(T0, x.at()).toSeconds()).max().orElse(0) + 1);
            int at = i == passes.size() - 1 ? Math.max(now, end) : now;
            var step = analyzer.step(s, POLICY, pass, context(at));
            s = step.state();
            step.events().forEach(e -> seen.add(new Seen(at, e)));
        }
        return seen.stream().filter(x -> x.event().episode().kind() != dev.gatewatch.analysis.model.Classification.DEGRADED).toList();
    }

    private static List<Sample> fails(String region, int from, int to) {
        List<Sample> out = new ArrayList<>();
        for (int at = from; at <= to; at += to - at >= 10 ? 10 : 1) {
            out.add(sample(region, at, false));
        }
        return out;
    }

    private static Context context(int second) {
        return new Context(T0.plusSeconds(second), LIVE, List.of());
    }

    private static Sample sample(String region, int second, boolean ok) {
        return new Sample(0, region, "system", T0.plusSeconds(second), ok, ok ? 200 : 502, null, 5, 1, 1, 3, "203.0.113.10", null, null,
                ok ? ErrorSource.NONE : ErrorSource.ORIGIN, ok ? null : "nginx");
    }
}
