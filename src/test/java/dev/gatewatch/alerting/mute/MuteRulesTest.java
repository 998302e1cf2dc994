package dev.gatewatch.alerting.mute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Maintenance windows and silences as pure rules: which instant each mutes, until when, for which monitor. */
class MuteRulesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Recurrence sundays0200for90() {
        return new Recurrence(Set.of(DayOfWeek.SUNDAY), LocalTime.of(2, 0), Duration.ofMinutes(90), BERLIN);
    }

    private static Recurrence daily2300for2h() {
        return new Recurrence(Set.of(), LocalTime.of(23, 0), Duration.ofHours(2), ZoneId.of("UTC"));
    }

    private static MaintenanceWindow oneOff(List<Long> monitors) {
        return new MaintenanceWindow(1, "DB upgrade", monitors, Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"), null);
    }

    static Stream<Arguments> cases() {
        MaintenanceWindow weekly = new MaintenanceWindow(2, "weekly", List.of(), null, null, sundays0200for90());
        MaintenanceWindow bounded = new MaintenanceWindow(3, "bounded", List.of(), Instant.parse("2026-11-20T00:00:00Z"),
                Instant.parse("2026-11-26T23:30:00Z"), daily2300for2h());
        Silence one = new Silence(4, 7L, "investigating", Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T12:00:00Z"));
        Silence all = new Silence(5, null, "office move", Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T12:00:00Z"));
        return Stream.of(
                // rule, monitor, at, muted until (null: not muted)
                Arguments.of("one-off, inside", oneOff(List.of()), 7L, "2026-11-25T10:30:00Z", "2026-11-25T11:00:00Z"),
                Arguments.of("one-off, at its start", oneOff(List.of()), 7L, "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z"),
                Arguments.of("one-off, at its end (exclusive)", oneOff(List.of()), 7L, "2026-11-25T11:00:00Z", null),
                Arguments.of("one-off, before", oneOff(List.of()), 7L, "2026-11-25T09:59:59Z", null),
                Arguments.of("one-off for other monitors", oneOff(List.of(8L, 9L)), 7L, "2026-11-25T10:30:00Z", null),
                Arguments.of("one-off listing the monitor", oneOff(List.of(8L, 7L)), 7L, "2026-11-25T10:30:00Z", "2026-11-25T11:00:00Z"),
                // Sunday 29 Nov 2026 02:00 Berlin is 01:00Z (CET, +1).
                Arguments.of("weekly, Sunday inside", weekly, 7L, "2026-11-29T01:30:00Z", "2026-11-29T02:30:00Z"),
                Arguments.of("weekly, Saturday same time", weekly, 7L, "2026-11-28T01:30:00Z", null),
                Arguments.of("weekly, just after", weekly, 7L, "2026-11-29T02:30:00Z", null),
                // Summer: Sunday 5 July 2026 02:00 Berlin is 00:00Z (CEST, +2).
                Arguments.of("weekly in summer time", weekly, 7L, "2026-07-05T00:10:00Z", "2026-07-05T01:30:00Z"),
                // Spring forward, Sunday 29 March 2026: 02:00 does not exist, the window starts at 03:00 CEST = 01:00Z.
                Arguments.of("weekly in the spring-forward gap", weekly, 7L, "2026-03-29T01:15:00Z", "2026-03-29T02:30:00Z"),
                Arguments.of("weekly before the moved start", weekly, 7L, "2026-03-29T00:59:00Z", null),
                // Daily 23:00 for 2 h crosses midnight: at 00:30 it is yesterday's occurrence.
                Arguments.of("daily, after midnight", bounded, 7L, "2026-11-25T00:30:00Z", "2026-11-25T01:00:00Z"),
                Arguments.of("daily, before it", bounded, 7L, "2026-11-25T22:59:00Z", null),
                Arguments.of("daily, clipped by the last day", bounded, 7L, "2026-11-26T23:10:00Z", "2026-11-26T23:30:00Z"),
                Arguments.of("daily, after the last day", bounded, 7L, "2026-11-27T00:10:00Z", null),
                Arguments.of("daily, before the first day", bounded, 7L, "2026-11-19T23:30:00Z", null),
                Arguments.of("silence on the monitor", one, 7L, "2026-11-25T11:00:00Z", "2026-11-25T12:00:00Z"),
                Arguments.of("silence on another monitor", one, 8L, "2026-11-25T11:00:00Z", null),
                Arguments.of("silence on all monitors", all, 8L, "2026-11-25T11:00:00Z", "2026-11-25T12:00:00Z"),
                Arguments.of("silence over", all, 8L, "2026-11-25T12:00:00Z", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mutes(String name, MuteRule rule, long monitor, String at, String until) {
        Optional<Mute> m = rule.mutes(monitor, Instant.parse(at));
        assertEquals(until == null ? Optional.empty() : Optional.of(Instant.parse(until)), m.map(Mute::until));
    }

    static Stream<Arguments> nextCases() {
        MaintenanceWindow weekly = new MaintenanceWindow(2, "weekly", List.of(), null, null, sundays0200for90());
        MaintenanceWindow later = new MaintenanceWindow(3, "starts later", List.of(), Instant.parse("2026-12-10T00:00:00Z"), null, daily2300for2h());
        return Stream.of(
                Arguments.of(weekly, "2026-11-25T12:00:00Z", "2026-11-29T01:00:00Z"),
                Arguments.of(weekly, "2026-11-29T01:30:00Z", "2026-11-29T01:00:00Z"),
                Arguments.of(later, "2026-11-25T12:00:00Z", "2026-12-10T00:00:00Z"),
                Arguments.of(oneOff(List.of()), "2026-11-25T12:00:00Z", null));
    }

    @ParameterizedTest
    @MethodSource("nextCases")
    void nextOccurrence(MaintenanceWindow w, String at, String start) {
        assertEquals(start == null ? null : Instant.parse(start), w.next(Instant.parse(at)).map(Occurrence::start).orElse(null));
    }

    static Stream<Arguments> releases() {
        Instant due = Instant.parse("2026-11-25T10:00:00Z");
        return Stream.of(
                // event, held, incident open, superseded, opening, expected action
                Arguments.of("opened", false, true, false, Release.Opening.NONE, Release.Decision.Action.SEND),
                Arguments.of("opened", false, false, false, Release.Opening.NONE, Release.Decision.Action.SEND),
                Arguments.of("opened", true, true, false, Release.Opening.NONE, Release.Decision.Action.SEND),
                Arguments.of("opened", true, false, false, Release.Opening.NONE, Release.Decision.Action.SUPPRESS),
                Arguments.of("opened", true, true, true, Release.Opening.NONE, Release.Decision.Action.SUPPRESS),
                Arguments.of("escalated", true, true, false, Release.Opening.SUPPRESSED, Release.Decision.Action.SEND),
                Arguments.of("recovered", false, false, false, Release.Opening.DELIVERED, Release.Decision.Action.SEND),
                Arguments.of("recovered", true, false, false, Release.Opening.DELIVERED, Release.Decision.Action.SEND),
                Arguments.of("recovered", false, false, false, Release.Opening.NONE, Release.Decision.Action.SEND),
                Arguments.of("recovered", false, false, false, Release.Opening.FAILED, Release.Decision.Action.SEND),
                Arguments.of("recovered", true, false, false, Release.Opening.SUPPRESSED, Release.Decision.Action.SUPPRESS),
                Arguments.of("recovered", false, false, false, Release.Opening.IN_FLIGHT, Release.Decision.Action.WAIT),
                Arguments.of("reminder", false, true, false, Release.Opening.DELIVERED, Release.Decision.Action.SEND),
                Arguments.of("reminder", false, false, false, Release.Opening.DELIVERED, Release.Decision.Action.SUPPRESS))
                .map(a -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], a.get()[3], a.get()[4], a.get()[5], due));
    }

    @ParameterizedTest(name = "{0} held={1} open={2} superseded={3} opening={4} -> {5}")
    @MethodSource("releases")
    void release(String event, boolean held, boolean open, boolean superseded, Release.Opening opening, Release.Decision.Action expected,
                 Instant due) {
        Release.Decision d = Release.decide(new Release.Situation(event, held, open, superseded, opening, due));
        assertEquals(expected, d.action(), String.valueOf(d.reason()));
        if (expected == Release.Decision.Action.WAIT) {
            assertEquals(due, d.waitUntil());
        }
    }
}
