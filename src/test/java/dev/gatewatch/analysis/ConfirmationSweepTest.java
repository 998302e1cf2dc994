package dev.gatewatch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.analysis.model.Event;
import dev.gatewatch.analysis.model.Extent;
import dev.gatewatch.analysis.model.MonitorState;
import dev.gatewatch.analysis.model.Settings;

/**
 * Confirmation swept over timing, not one lucky schedule: every check phase of the interval, store delays of 0 to 3 s
 * (fixed, and jittered per check), 1 to 3 regions and resolvers, blips from 5 s to window − 5 s and outages from
 * window + 5 s of every back end behind nginx (502). Blips must never page; outages must always page from
 * {@link #sureAfter(int)} on, and as an outage of everything, never as a partial blaming one resolver or region.
 */
@Tag("slow") // real faults, processes or a long sweep: runs in ./mvnw verify, not in the quick ./mvnw test
class ConfirmationSweepTest {

    private static final int WINDOW = 60;
    private static final int START = 200;

    /**
     * The shortest outage every schedule confirms. A failure's start is only known to lie between the last passing and
     * the first failing check, and a blip 5 s under the window must never page, so the failing checks must span the
     * window less 5 s: an outage that begins just after a check shows its first failure up to an interval late. With
     * 1 s re-checks near the window's end that is window + 5 s at a 10 s interval (the whole-second phases swept here),
     * and window + interval − 5 s beyond it; no analyzer can do better at that interval with one region.
     */
    static int sureAfter(int interval) {
        return WINDOW + Math.max(5, interval - 5);
    }

    private static final List<IntUnaryOperator> DELAYS = List.of(n -> 0, n -> 1, n -> 2, n -> 3,
            n -> Math.floorMod(n * 2654435761L, 4) > 0 ? (int) Math.floorMod(n * 40503L, 4) : 0);

    /** One schedule of the sweep. */
    private record Case(int interval, int regions, int resolvers, int duration, int phase, int delay) {
    }

    private record Miss(String what, Case schedule, String got) {
    }

    /** What one schedule gave: its alerts, and the second the first failing check's episode started. */
    private record Outcome(Case c, List<Simulation.Seen> alerts, int firstFailure) {
    }

    @Test
    void blipsNeverPageAndOutagesAlwaysDoAsOutagesOfEverything() {
        List<Case> cases = new ArrayList<>();
        for (int interval : List.of(10, 30)) {
            for (int regions = 1; regions <= 3; regions++) {
                for (int resolvers = 1; resolvers <= 3; resolvers++) {
                    List<Integer> durations = new ArrayList<>();
                    for (int d = 5; d <= WINDOW - 5; d += 5) {
                        durations.add(d);
                    }
                    durations.addAll(List.of(WINDOW + 5, WINDOW + 10, WINDOW + 15, WINDOW + 20, WINDOW + 25, WINDOW + 30, WINDOW + 40, WINDOW + 50, 2 * WINDOW + 10, 4 * WINDOW));
                    for (int duration : durations) {
                        for (int phase = 0; phase < interval; phase++) {
                            for (int delay = 0; delay < DELAYS.size(); delay++) {
                                cases.add(new Case(interval, regions, resolvers, duration, phase, delay));
                            }
                        }
                    }
                }
            }
        }
        // The simulations are pure and independent: run them on every core, then judge them in order.
        List<Outcome> outcomes = cases.parallelStream().map(c -> {
            Simulation.Result r = Simulation.run(world(c.regions(), c.resolvers(), c.interval(), c.duration()), new Analyzer(Settings.DEFAULTS),
                    MonitorState.initial(), 0, START + c.duration() + 10 * WINDOW, c.phase(), DELAYS.get(c.delay()));
            int first = r.events().isEmpty() ? -1
                    : (int) java.time.Duration.between(Simulation.T0, r.events().get(0).event().episode().start()).toSeconds();
            return new Outcome(c, r.alerts(), first);
        }).toList();
        List<Miss> misses = new ArrayList<>();
        java.util.Map<String, Integer> near = new java.util.TreeMap<>();
        java.util.Map<String, Integer> nearRuns = new java.util.TreeMap<>();
        java.util.Map<Integer, Integer> toAlert = new java.util.TreeMap<>();
        java.util.Map<Integer, Integer> fromFirstCheck = new java.util.TreeMap<>();
        int runs = outcomes.size();
        for (Outcome o : outcomes) {
            Case c = o.c();
            int interval = c.interval();
            int duration = c.duration();
            List<Simulation.Seen> alerts = o.alerts();
            boolean blip = duration <= WINDOW - 5;
            boolean sure = duration >= sureAfter(interval);
            String got = alerts.stream().map(s -> s.label() + " " + s.event().episode().scope().extent()).toList().toString();
            boolean whole = !alerts.isEmpty() && alerts.get(0).event().type() == Event.Type.OPENED
                    && alerts.get(0).event().episode().scope().extent() == Extent.WHOLE;
            if (blip && !alerts.isEmpty()) {
                misses.add(new Miss("blip paged", c, got));
            } else if (!blip && !alerts.isEmpty() && !whole) {
                misses.add(new Miss("outage not called an outage of everything", c, got));
            } else if (sure && alerts.isEmpty()) {
                misses.add(new Miss("outage missed", c, got));
            } else if (!blip && !sure) {
                near.merge(interval + " s interval, " + duration + " s outage", alerts.isEmpty() ? 0 : 1, Integer::sum);
                nearRuns.merge(interval + " s interval, " + duration + " s outage", 1, Integer::sum);
            }
            if (sure && !alerts.isEmpty()) {
                toAlert.merge(interval, alerts.get(0).second() - START, Math::max);
                int fromFirst = alerts.get(0).second() - o.firstFailure();
                fromFirstCheck.merge(interval, fromFirst, Math::max);
                if (fromFirst > WINDOW + 15) {
                    misses.add(new Miss("alert later than window + 15 s after the first failing check", c, fromFirst + " s"));
                }
            }
        }
        System.out.printf("confirmation sweep: %d runs, %d wrong%n", runs, misses.size());
        misses.stream().collect(java.util.stream.Collectors.groupingBy(m -> m.what() + " interval " + m.schedule().interval() + " duration " + m.schedule().duration(),
                java.util.TreeMap::new, java.util.stream.Collectors.counting())).forEach((k, v) -> System.out.println("  " + k + ": " + v));
        near.forEach((k, v) -> System.out.printf("  %s: paged in %d of %d schedules%n", k, v, nearRuns.get(k)));
        toAlert.forEach((k, v) -> System.out.printf("  %d s interval: longest time from the start of an outage to its alert %d s,"
                + " from its first failing check %d s%n", k, v, fromFirstCheck.get(k)));
        assertEquals(List.of(), misses.stream().limit(20).toList(), misses.size() + " of " + runs + " runs wrong");
    }

    /**
     * Failures no restart produces page fast, at any interval and phase: within 25 s of the first failing check when the
     * monitor asks for quick confirmation (the default), after the window when it does not; one failing check alone
     * (shorter than the fast re-check) never pages.
     */
    @Test
    void failuresNoDeployCausesPageWithin25sOfTheFirstFailingCheck() {
        List<String> wrong = new ArrayList<>();
        java.util.Map<String, Integer> slowest = new java.util.TreeMap<>();
        List<Timeline.Outcome> kinds = List.of(
                new Timeline.Outcome(null, "dns_nxdomain", 5, null, null, null, null, null, null, null, null),
                new Timeline.Outcome(null, "tls_expired", 5, null, null, null, null, null, null, null, null),
                new Timeline.Outcome(404, null, 5, null, null, null, null, null, "origin", "nginx", null),
                new Timeline.Outcome(null, "assertion_failed", 5, null, null, null, null, null, null, null, null),
                new Timeline.Outcome(null, "target_blocked", 5, null, null, null, null, null, null, null, null));
        for (Timeline.Outcome kind : kinds) {
            String name = kind.error() != null ? kind.error() : "HTTP " + kind.status();
            for (int interval : List.of(10, 30, 60)) {
                for (int regions = 1; regions <= 3; regions++) {
                    for (int phase = 0; phase < interval; phase += 2) {
                        for (boolean quick : List.of(true, false)) {
                            Simulation.Result r = Simulation.run(failing(regions, interval, 300, kind, quick), new Analyzer(Settings.DEFAULTS),
                                    MonitorState.initial(), 0, START + 300 + 600, phase, DELAYS.get(4));
                            List<Simulation.Seen> alerts = r.alerts();
                            int first = r.events().get(0).second() - (int) java.time.Duration.between(
                                    r.events().get(0).event().episode().start(), Simulation.at(r.events().get(0).second())).toSeconds();
                            String what = name + " " + interval + " s, " + regions + " regions, phase " + phase + (quick ? "" : ", quick off");
                            if (alerts.isEmpty() || alerts.get(0).event().type() != Event.Type.OPENED) {
                                wrong.add(what + ": no alert " + alerts.stream().map(Simulation.Seen::label).toList());
                                continue;
                            }
                            int after = alerts.get(0).second() - first;
                            // Off, the window counts from up to 5 s before the first failing check (see Analyzer).
                            if (quick && after > 25 || !quick && after < WINDOW - 5) {
                                wrong.add(what + ": alerted " + after + " s after the first failing check");
                            }
                            if (quick) {
                                slowest.merge(name, after, Math::max);
                            }
                        }
                    }
                    // One failing check alone: not confirmed.
                    Simulation.Result once = Simulation.run(failing(regions, interval, 3, kind, true), new Analyzer(Settings.DEFAULTS),
                            MonitorState.initial(), 0, START + 600, 0, n -> 0);
                    if (!once.alerts().isEmpty()) {
                        wrong.add(name + " " + interval + " s, " + regions + " regions: a 3 s failure paged");
                    }
                }
            }
        }
        slowest.forEach((k, v) -> System.out.printf("  quick confirmation, %s: at most %d s from the first failing check to the alert%n", k, v));
        assertEquals(List.of(), wrong.stream().limit(20).toList(), wrong.size() + " wrong");
    }

    private static Timeline failing(int regions, int interval, int duration, Timeline.Outcome kind, boolean quick) {
        List<String> r = List.of("eu-west", "us-east", "ap-south").subList(0, regions);
        return new Timeline("quick", "sweep", "outage", r, List.of("system"), interval, 10, WINDOW, 2, null, quick,
                START + duration + 600, new Timeline.Outcome(200, null, 120, null, null, "203.0.113.10", null, null, null, null, null),
                null, List.of(new Timeline.Condition(START, START + duration, null, null, null, null, null, null, kind)), null, null);
    }

    /** Every back end behind nginx down for {@code duration} seconds from {@link #START}. */
    private static Timeline world(int regions, int resolvers, int interval, int duration) {
        List<String> r = List.of("eu-west", "us-east", "ap-south").subList(0, regions);
        List<String> s = List.of("system", "1.1.1.1", "8.8.8.8").subList(0, resolvers);
        Timeline.Outcome down = new Timeline.Outcome(502, null, 5, null, null, null, null, null, "origin", "nginx", null);
        return new Timeline("sweep", "sweep", duration < WINDOW ? "deploy_blip" : "outage", r, s, interval, 10, WINDOW, 2, null, null,
                START + duration + 10 * WINDOW, new Timeline.Outcome(200, null, 120, null, null, "203.0.113.10", null, null, null, null, null),
                null, List.of(new Timeline.Condition(START, START + duration, null, null, null, null, null, null, down)), null, null);
    }
}
