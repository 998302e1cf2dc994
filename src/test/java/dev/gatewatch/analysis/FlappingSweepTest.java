package dev.gatewatch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.analysis.model.MonitorState;
import dev.gatewatch.analysis.model.Settings;

/**
 * A back end that goes down and up (a crash loop, an overloaded pool), swept over the shape: down 5–30 s and up
 * 5–30 s at a time (up to half the window), eight times, at 10 s and 30 s intervals, every check phase, 1–3 regions.
 * Where the checks see the spell at all, it must be one flapping incident: one alert when it is recognised, no outage,
 * no "recovered" while it still flaps, recovered only after it has been quiet, and no part of it filed as a deploy
 * blip. Downs or ups shorter than the fast checks may alias into an outage, never into a recovery while it flaps.
 */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
class FlappingSweepTest {

    private static final int START = 200;
    private static final int CYCLES = 8;

    /** One schedule of the sweep. */
    private record Case(int interval, int regions, int down, int up, int phase) {
    }

    /** What one schedule gave: whether flapping was recognised, and what was wrong (null: nothing). */
    private record Verdict(boolean seen, String wrong) {
    }

    @Test
    void aSpellOfDownsAndUpsIsOneFlappingIncident() {
        List<Case> cases = new ArrayList<>();
        for (int interval : List.of(10, 30)) {
            for (int regions = 1; regions <= 3; regions++) {
                for (int down : List.of(5, 10, 15, 20, 30)) {
                    for (int up : List.of(5, 10, 15, 20, 30)) {
                        for (int phase = 0; phase < interval; phase++) {
                            cases.add(new Case(interval, regions, down, up, phase));
                        }
                    }
                }
            }
        }
        // Pure, independent simulations: on every core, judged in order.
        List<Verdict> verdicts = cases.parallelStream().map(FlappingSweepTest::judge).toList();
        int runs = verdicts.size();
        int seen = (int) verdicts.stream().filter(Verdict::seen).count();
        List<String> wrong = verdicts.stream().map(Verdict::wrong).filter(java.util.Objects::nonNull).toList();
        System.out.printf("flapping sweep: %d runs, flapping recognised in %d, %d wrong%n", runs, seen, wrong.size());
        wrong.stream().collect(java.util.stream.Collectors.groupingBy(w -> w.replaceAll(", phase \\d+", ""), java.util.TreeMap::new,
                java.util.stream.Collectors.counting())).forEach((k, v) -> System.out.println("  " + v + " × " + k));
        assertEquals(List.of(), wrong.stream().limit(20).toList(), wrong.size() + " of " + runs + " runs wrong");
    }

    private static Verdict judge(Case c) {
        int interval = c.interval(), regions = c.regions(), down = c.down(), up = c.up(), phase = c.phase();
        int end = START + CYCLES * (down + up);
        Timeline t = world(regions, interval, down, up, end);
        Simulation.Result r = Simulation.run(t, new Analyzer(Settings.DEFAULTS), MonitorState.initial(), 0,
                t.durationSeconds(), phase, n -> 0);
        List<String> alerts = r.alerts().stream().map(Simulation.Seen::label).toList();
        List<String> cleared = r.cleared().stream().map(s -> s.event().episode().kind().code()).toList();
        String shape = interval + " s interval, " + regions + " regions, down " + down + " / up " + up + ", phase " + phase;
        if (alerts.isEmpty()) {
            // The checks saw too little of it (5 s downs between 30 s checks): at most as many blips as
            // take to call it flapping (three: six changes) may be filed before the next one would.
            return new Verdict(false, cleared.size() > Settings.DEFAULTS.flapChanges() / 2 ? shape + ": " + cleared.size() + " blips, no flapping" : null);
        }
        // Downs or ups shorter than the fast checks (10 s) can fall between checks: the checks may
        // then see only failures (an outage, and that is what it was to every visitor they stood for).
        boolean visible = down >= 10 && up >= 10;
        List<String> allowed = visible ? List.of("opened flapping, recovered flapping")
                : List.of("opened flapping, recovered flapping", "opened outage, recovered outage",
                        "opened outage, recovered flapping", "opened flapping, escalated outage, recovered flapping");
        if (!allowed.contains(String.join(", ", alerts))) {
            return new Verdict(true, shape + ": " + alerts);
        } else if (r.alerts().get(1).second() < end) {
            return new Verdict(true, shape + ": recovered at " + r.alerts().get(1).second() + " s while flapping until " + end);
        } else if (!cleared.isEmpty()) {
            return new Verdict(true, shape + ": filed as " + cleared);
        }
        return new Verdict(true, null);
    }

    private static Timeline world(int regions, int interval, int down, int up, int end) {
        List<String> r = List.of("eu-west", "us-east", "ap-south").subList(0, regions);
        Timeline.Outcome fails = new Timeline.Outcome(502, null, 5, null, null, null, null, null, "origin", "nginx", null);
        return new Timeline("flapping", "sweep", "flapping", r, List.of("system", "1.1.1.1"), interval, 10, 60, 2, null, null, end + 1800,
                new Timeline.Outcome(200, null, 120, null, null, "203.0.113.10", null, null, null, null, null), null,
                List.of(new Timeline.Condition(START, end, null, null, null, down + up, down, null, fails)), null, null);
    }
}
