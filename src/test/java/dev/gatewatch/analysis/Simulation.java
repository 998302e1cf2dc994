package dev.gatewatch.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.gatewatch.analysis.model.Context;
import dev.gatewatch.analysis.model.Deployment;
import dev.gatewatch.analysis.model.Event;
import dev.gatewatch.analysis.model.MonitorState;
import dev.gatewatch.analysis.model.Policy;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.analysis.model.Settings;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.cdn.ErrorSource;

/**
 * Runs a {@link Timeline} the way the real system would: each region checks through every resolver at its interval
 * (at the fast interval while the analyzer hurries), results become visible a second after the check ends, the
 * analyzer runs every second, and a silent region drops out of the live set after the checker node timeout.
 */
final class Simulation {

    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    private static final int NODE_TIMEOUT = 30;
    private static final Duration PRECISE = Duration.ofSeconds(1);

    /** An event with the (simulated) second the analyzer emitted it. */
    record Seen(int second, Event event) {
        String label() {
            var e = event.episode();
            return event.type().code() + " " + e.kind().code();
        }
    }

    record Result(List<Seen> events, MonitorState state, int checks) {
        List<Seen> alerts() {
            return events.stream().filter(s -> s.event().type().alerts()).toList();
        }

        /** Episodes cleared without an alert, less those a later flapping incident folds in (as AnalysisService does). */
        List<Seen> cleared() {
            List<Instant> spells = events.stream().filter(s -> s.event().type() == Event.Type.OPENED
                    && s.event().episode().kind() == dev.gatewatch.analysis.model.Classification.FLAPPING)
                    .map(s -> s.event().episode().start()).toList();
            return events.stream().filter(s -> s.event().type() == Event.Type.CLEARED)
                    .filter(s -> spells.stream().noneMatch(start -> !s.event().episode().start().isBefore(start))).toList();
        }
    }

    static Result run(Timeline t) {
        return run(t, new Analyzer(Settings.DEFAULTS), MonitorState.initial(), 0, t.durationSeconds());
    }

    static Result run(Timeline t, Analyzer analyzer, MonitorState start, int from, int to) {
        return run(t, analyzer, start, from, to, 0, n -> 0);
    }

    /**
     * @param phaseShift seconds added to every region's check phase
     * @param storeDelay extra seconds before the n-th check's result is visible (a slow writer, a busy database)
     */
    static Result run(Timeline t, Analyzer analyzer, MonitorState start, int from, int to, int phaseShift,
                      java.util.function.IntUnaryOperator storeDelay) {
        int interval = or(t.intervalSeconds(), 30);
        int fast = or(t.fastSeconds(), 10);
        Policy policy = new Policy(Duration.ofSeconds(or(t.windowSeconds(), 60)), or(t.successThreshold(), 2),
                t.maxResponseTimeMs(), Duration.ofSeconds(interval), !Boolean.FALSE.equals(t.quickConfirmation()));
        List<Deployment> deployments = t.deployments() == null ? List.of() : t.deployments().stream()
                .map(m -> new Deployment(m.id(), at(m.start()), m.end() == null ? null : at(m.end()),
                        m.expectedSeconds() == null ? null : Duration.ofSeconds(m.expectedSeconds()))).toList();
        Map<String, Integer> nextDue = new LinkedHashMap<>();
        for (String region : t.regions()) {
            nextDue.put(region, slot(t, region, from, interval, phaseShift));
        }
        Map<String, Integer> silentSince = new HashMap<>();
        Map<Integer, List<Sample>> visibleAt = new HashMap<>();
        Map<String, Integer> checkCount = new HashMap<>();
        MonitorState state = start;
        List<Seen> seen = new ArrayList<>();
        int checks = 0;
        Integer hurrying = every(state, policy, fast);
        for (int sec = from; sec <= to; sec++) {
            for (String region : t.regions()) {
                boolean silent = silent(t, region, sec);
                if (silent) {
                    silentSince.putIfAbsent(region, sec);
                    continue;
                }
                silentSince.remove(region);
                if (nextDue.get(region) > sec) {
                    continue;
                }
                for (String resolver : t.resolvers()) {
                    int n = checkCount.merge(region + resolver, 1, Integer::sum);
                    Sample s = sample(t, region, resolver, sec, n);
                    checks++;
                    int visible = sec + (s.totalMs() + 999) / 1000 + 1 + storeDelay.applyAsInt(checks);
                    visibleAt.computeIfAbsent(visible, k -> new ArrayList<>()).add(s);
                }
                nextDue.put(region, hurrying != null ? sec + hurrying : slot(t, region, sec + interval / 2, interval, phaseShift));
            }
            Set<String> live = new HashSet<>(t.regions());
            for (var e : silentSince.entrySet()) {
                if (sec - e.getValue() >= NODE_TIMEOUT) {
                    live.remove(e.getKey());
                }
            }
            List<Sample> batch = visibleAt.getOrDefault(sec, List.of());
            var step = analyzer.step(state, policy, batch, new Context(at(sec), live, deployments));
            state = step.state();
            for (Event e : step.events()) {
                seen.add(new Seen(sec, e));
            }
            Integer every = every(state, policy, fast);
            if (every != null && hurrying == null) {
                for (String region : t.regions()) {
                    nextDue.put(region, Math.min(nextDue.get(region), sec + 1));
                }
            } else if (every != null && every < hurrying) {
                // A shorter fast interval pulls slots not in flight forward (FastConfirmation.hurry).
                for (String region : t.regions()) {
                    nextDue.put(region, Math.min(nextDue.get(region), sec + every));
                }
            } else if (every == null && hurrying != null) {
                // Back to the normal interval: the real schedule returns to each region's own phase (Slots.next).
                for (String region : t.regions()) {
                    nextDue.put(region, slot(t, region, sec + 1, interval, phaseShift));
                }
            }
            hurrying = every;
        }
        return new Result(seen, state, checks);
    }

    /** Seconds between checks the analyzer asks for, as AnalysisService does; null for the monitor's own interval. */
    private static Integer every(MonitorState state, Policy policy, int fast) {
        Duration d = Analyzer.recheckEvery(state, policy, Duration.ofSeconds(fast), PRECISE);
        return d == null ? null : (int) d.toSeconds();
    }

    /** The region's first slot at or after {@code earliest}: regions are spread evenly over the interval. */
    private static int slot(Timeline t, String region, int earliest, int interval, int phaseShift) {
        int phase = Math.floorMod(t.regions().indexOf(region) * interval / t.regions().size() + phaseShift, interval);
        int k = Math.floorDiv(earliest - phase + interval - 1, interval);
        return k * interval + phase;
    }

    static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    private static boolean silent(Timeline t, String region, int sec) {
        return t.conditions().stream().anyMatch(c -> Boolean.TRUE.equals(c.silent()) && applies(c, region, null, null, sec));
    }

    private static boolean applies(Timeline.Condition c, String region, String resolver, String ip, int sec) {
        if (sec < c.from() || sec >= c.to()) {
            return false;
        }
        if (c.period() != null && (sec - c.from()) % c.period() >= or(c.duty(), c.period())) {
            return false;
        }
        return (c.regions() == null || c.regions().contains(region))
                && (c.resolvers() == null || resolver == null || c.resolvers().contains(resolver))
                && (c.ip() == null || ip == null || c.ip().equals(ip));
    }

    /** The baseline with every condition in force at that second applied in order; the address is settled first. */
    static Sample sample(Timeline t, String region, String resolver, int sec, int n) {
        Timeline.Outcome base = t.baseline();
        List<String> ips = base.ips() != null ? base.ips() : base.ip() != null ? List.of(base.ip()) : List.of("203.0.113.10");
        for (Timeline.Condition c : t.conditions()) {
            if (c.outcome() != null && applies(c, region, resolver, null, sec) && c.ip() == null) {
                if (c.outcome().ips() != null) {
                    ips = c.outcome().ips();
                } else if (c.outcome().ip() != null) {
                    ips = List.of(c.outcome().ip());
                }
            }
        }
        String ip = ips.get(n % ips.size());
        Integer status = or(base.status(), 200);
        String error = base.error();
        int ms = or(base.ms(), 120);
        Integer ttfb = base.ttfbMs();
        Integer connect = base.connectMs();
        String pop = t.pops() == null ? base.pop() : t.pops().get(region);
        String source = base.source();
        String generator = base.generator();
        String provider = base.provider();
        for (Timeline.Condition c : t.conditions()) {
            Timeline.Outcome o = c.outcome();
            if (o == null || !applies(c, region, resolver, ip, sec)) {
                continue;
            }
            if (o.error() != null) {
                error = o.error().equals("none") ? null : o.error();
                status = error == null ? status : null;
            }
            if (o.status() != null) {
                status = o.status();
                error = null;
            }
            ms = o.ms() != null ? o.ms() : ms;
            ttfb = o.ttfbMs() != null ? o.ttfbMs() : ttfb;
            connect = o.connectMs() != null ? o.connectMs() : connect;
            pop = o.pop() != null ? o.pop() : pop;
            source = o.source() != null ? o.source() : source;
            generator = o.generator() != null ? o.generator() : generator;
            provider = o.provider() != null ? o.provider() : provider;
        }
        ErrorClass errorClass = error == null ? null : ErrorClass.valueOf(error.toUpperCase(Locale.ROOT));
        boolean ok = errorClass == null && status != null && status < 400;
        if (!ok && errorClass == null) {
            errorClass = ErrorClass.ASSERTION_FAILED;
        }
        ErrorSource src = ok || status == null ? ErrorSource.NONE
                : source == null ? ErrorSource.UNKNOWN : ErrorSource.valueOf(source.toUpperCase(Locale.ROOT));
        boolean answered = status != null;
        return new Sample(0, region, resolver, at(sec), ok, status, errorClass, ms, 2, answered ? (connect != null ? connect : 3) : null,
                answered ? (ttfb != null ? ttfb : Math.max(1, ms - 10)) : null, error != null && error.startsWith("dns") ? null : ip,
                answered ? provider : null, answered ? pop : null, src, ok ? null : generator);
    }

    private static int or(Integer v, int fallback) {
        return v == null ? fallback : v;
    }
}
