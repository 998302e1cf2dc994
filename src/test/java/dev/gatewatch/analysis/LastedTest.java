package dev.gatewatch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.gatewatch.analysis.model.Episode;
import dev.gatewatch.analysis.model.Event;
import dev.gatewatch.analysis.model.Evidence;
import dev.gatewatch.analysis.model.Lasted;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.check.ErrorClass;

/**
 * The "lasted between" bounds: from the first to the last failing check at least, from the last passing check before
 * to the first passing one after at most, so the true length always lies inside, whatever the checks' phase.
 */
class LastedTest {

    private static final Instant T = Instant.parse("2026-11-02T10:00:00Z");

    private static Instant at(int second) {
        return T.plusSeconds(second);
    }

    static Stream<Arguments> bounds() {
        return Stream.of(
                // lastPass, firstFail, lastFail, firstPassAfter → least, most
                Arguments.of(0, 10, 40, 50, 30, 50),
                Arguments.of(-5, 5, 35, 45, 30, 50),
                Arguments.of(0, 10, 10, 20, 0, 20),
                Arguments.of(0, 10, 200, 210, 190, 210),
                // not recorded (evidence stored before it was): only the first failing check is known
                Arguments.of(0, 10, null, 50, 0, 50),
                // out of order (a late sample from a region that went silent): clamped so that least ≤ most
                Arguments.of(0, 10, 60, 50, 40, 50),
                Arguments.of(0, 10, 5, 50, 0, 50),
                Arguments.of(15, 10, 20, 30, 10, 20),
                Arguments.of(0, 10, 10, 5, 0, 10));
    }

    @ParameterizedTest
    @MethodSource
    void bounds(int lastPass, int firstFail, Integer lastFail, int firstPassAfter, int least, int most) {
        Lasted l = Lasted.of(at(lastPass), at(firstFail), lastFail == null ? null : at(lastFail), at(firstPassAfter));
        assertEquals(Duration.ofSeconds(least), l.least());
        assertEquals(Duration.ofSeconds(most), l.most());
    }

    static Stream<Arguments> phases() {
        List<Arguments> out = new ArrayList<>();
        for (int[] c : new int[][] {{40, 10}, {200, 10}, {45, 10}, {20, 10}, {5, 10}, {40, 30}, {200, 60}, {3600, 60}}) {
            for (int phase = 0; phase < c[1]; phase++) {
                out.add(Arguments.of(c[0], c[1], phase));
            }
        }
        return out.stream();
    }

    /**
     * A failure of {@code seconds} starting at 100 s, checked every {@code interval} from {@code phase}: the bounds from
     * the checks around it hold the true length (when any check saw it at all).
     */
    @ParameterizedTest(name = "{0} s failure, checks every {1} s from {2} s")
    @MethodSource("phases")
    void theBoundsHoldTheTruthAtEveryPhase(int seconds, int interval, int phase) {
        int from = 100;
        int to = from + seconds;
        List<Integer> checks = IntStream.iterate(phase, c -> c <= to + 2 * interval, c -> c + interval).boxed().toList();
        List<Integer> failing = checks.stream().filter(c -> c >= from && c < to).toList();
        if (failing.isEmpty()) {
            return; // no check saw it: nothing to bound
        }
        int firstFail = failing.get(0);
        int lastFail = failing.get(failing.size() - 1);
        int lastPass = checks.stream().filter(c -> c < firstFail).reduce((a, b) -> b).orElseThrow();
        int firstPassAfter = checks.stream().filter(c -> c > lastFail).findFirst().orElseThrow();
        Lasted l = Lasted.of(at(lastPass), at(firstFail), at(lastFail), at(firstPassAfter));
        assertContains(l, Duration.ofSeconds(seconds));
        assertTrue(l.most().minus(l.least()).compareTo(Duration.ofSeconds(2L * interval)) <= 0, "at most two intervals wide");
    }

    static Stream<Arguments> simulated() {
        List<Arguments> out = new ArrayList<>();
        for (int[] c : new int[][] {{40, 1}, {200, 1}, {20, 1}, {45, 3}, {200, 3}}) {
            for (int phase = 0; phase < 30; phase++) {
                out.add(Arguments.of(c[0], c[1], phase));
            }
        }
        return out.stream();
    }

    /**
     * The same through the analyzer, the way the system runs it (fast checks while it confirms, results visible a
     * second after the check): the episode it ends records the checks, and its bounds and words hold the truth.
     */
    @ParameterizedTest(name = "{0} s of 502s in {1} region(s), starting {2} s into the 30 s interval")
    @MethodSource("simulated")
    void theAnalyzersEpisodesHoldTheTruth(int seconds, int regions, int phase) {
        List<String> names = List.of("eu-west", "us-east", "ap-south").subList(0, regions);
        Timeline.Outcome ok = new Timeline.Outcome(200, null, 120, null, null, null, null, null, null, null, null);
        Timeline.Outcome bad = new Timeline.Outcome(502, null, 30, null, null, null, null, null, "origin", "nginx", null);
        int from = 300 + phase;
        Timeline t = new Timeline("lasted", "test", "deploy_blip", names, List.of("system"), 30, 10, 60, 2, null, null, from + seconds + 300,
                ok, null, List.of(new Timeline.Condition(from, from + seconds, null, null, null, null, null, null, bad)), null, null);
        List<Event> events = Simulation.run(t).events().stream().map(Simulation.Seen::event).toList();
        if (events.isEmpty()) {
            return; // a failure shorter than the interval can fall between two checks
        }
        List<Episode> ended = events.stream().filter(e -> e.type() == Event.Type.CLEARED || e.type() == Event.Type.RECOVERED)
                .map(Event::episode).toList();
        assertEquals(1, ended.size(), "one episode: " + events);
        Episode e = ended.get(0);
        Lasted l = e.lasted();
        assertNotNull(l, "a passing check came before");
        assertNotNull(e.evidence().lastFailAt(), "the last failing check is recorded");
        assertContains(l, Duration.ofSeconds(seconds));
        assertTrue(e.explanation().summary().contains(l.words()), e.explanation().summary() + " says " + l.words());
    }

    @Test
    void anOpenEpisodeHasNoBoundsYet() {
        Evidence v = evidence(at(0), at(30), List.of());
        assertNull(new Episode(null, dev.gatewatch.analysis.model.Classification.SUSPECT, at(10), null, null, null, v, null, null).lasted());
        assertNull(new Episode(null, dev.gatewatch.analysis.model.Classification.TRANSIENT, at(10), null, at(40), null,
                evidence(null, at(30), List.of()), null, null).lasted(), "no passing check before it");
    }

    /** Evidence stored before the last failing check was recorded: the latest failing sample kept stands in for it. */
    @Test
    void oldEvidenceFallsBackToTheLatestFailingSampleKept() {
        List<Sample> kept = List.of(sample(at(10), false), sample(at(35), false), sample(at(50), true));
        assertEquals(at(35), evidence(at(0), null, kept).lastFailure());
        assertEquals(at(42), evidence(at(0), at(42), kept).lastFailure(), "the recorded one wins");
        assertNull(evidence(at(0), null, List.of()).lastFailure());
        assertNull(new Evidence(0, null, null, null, true, null, null, 0, null, null).lastFailure(), "a row with nothing in it");
    }

    @Test
    void storedEvidenceReadsWithAndWithoutTheLastFailingCheck() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Evidence old = json.readValue("""
                {"failures":3,"statuses":[502],"errorClasses":[],"layers":{"origin:nginx":3},"blipKind":true,"first":[],"latest":[],
                 "slowestMs":0,"lastPassAt":"2026-11-02T10:00:00Z"}""", Evidence.class);
        assertNull(old.lastFailAt());
        assertEquals(at(0), old.lastPassAt());
        Evidence now = evidence(at(0), at(35), List.of(sample(at(10), false)));
        String text = json.writeValueAsString(now);
        assertTrue(text.contains("\"lastFailAt\":\"2026-11-02T10:00:35Z\""), text);
        assertFalse(text.contains("lastFailure"), "only the record's fields are stored: " + text);
        assertEquals(now, json.readValue(text, Evidence.class));
    }

    private static void assertContains(Lasted l, Duration truth) {
        assertTrue(l.least().compareTo(truth) <= 0 && truth.compareTo(l.most()) <= 0,
                truth.toSeconds() + " s not within " + l.least().toSeconds() + "–" + l.most().toSeconds() + " s");
    }

    private static Evidence evidence(Instant lastPass, Instant lastFail, List<Sample> kept) {
        return new Evidence(kept.size(), new TreeSet<>(), new TreeSet<>(), new TreeMap<>(), true, kept, List.of(), 0, lastPass, lastFail);
    }

    private static Sample sample(Instant at, boolean ok) {
        return new Sample(1, "eu-west", "system", at, ok, ok ? 200 : 502, ok ? null : ErrorClass.ASSERTION_FAILED, 100, null, null,
                null, null, null, null, null, null);
    }
}
