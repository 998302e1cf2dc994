package dev.gatewatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatewatch.alerting.digest.DigestSchedule;
import dev.gatewatch.api.FieldError;

/** The digest's one-line summary and when each channel's digest period ends. */
class DigestTest {

    private static final Instant T = Instant.parse("2026-11-24T14:00:00Z");

    private static Digest.Blip blip(String host, String kind, int seconds) {
        return new Digest.Blip(1, host, "https://" + host + "/", kind, T, T.plusSeconds(seconds), null);
    }

    static Stream<Arguments> summaries() {
        return Stream.of(
                Arguments.of(List.of(blip("shop.example.com", "deploy_blip", 20), blip("shop.example.com", "deploy_blip", 41),
                        blip("shop.example.com", "deploy_blip", 12), blip("shop.example.com", "deploy_blip", 9),
                        blip("shop.example.com", "deploy_blip", 30), blip("shop.example.com", "deploy_blip", 15)),
                        "6 deploy blips, longest 41 s, all on shop.example.com"),
                Arguments.of(List.of(blip("shop.example.com", "deploy_blip", 41)), "1 deploy blip, longest 41 s on shop.example.com"),
                Arguments.of(List.of(blip("a.example.com", "deploy_blip", 10), blip("b.example.com", "deploy_blip", 50),
                        blip("a.example.com", "transient", 5)),
                        "2 deploy blips, longest 50 s on 2 sites (longest on b.example.com); 1 other short failure"),
                Arguments.of(List.of(blip("a.example.com", "transient", 15), blip("a.example.com", "transient", 25)),
                        "2 short failures that cleared without an alert, longest 25 s, all on a.example.com"),
                Arguments.of(List.of(blip("a.example.com", "deploy_blip", 95), blip("a.example.com", "deploy_blip", 59)),
                        "2 deploy blips, longest 1 min 35 s, all on a.example.com"));
    }

    @ParameterizedTest
    @MethodSource("summaries")
    void summary(List<Digest.Blip> blips, String expected) {
        Digest d = new Digest(T.minusSeconds(86400), T, "UTC", blips, "https://gatewatch.example/");
        assertEquals(expected, d.summary());
        assertEquals("[DIGEST] " + expected, d.subject());
    }

    static Stream<Arguments> schedules() {
        return Stream.of(
                // settings, now, period start, period end
                Arguments.of(Map.of("digest", true), "2026-11-25T09:00:00Z", "2026-11-24T08:00:00Z", "2026-11-25T08:00:00Z"),
                Arguments.of(Map.of("digest", true), "2026-11-25T07:59:00Z", "2026-11-23T08:00:00Z", "2026-11-24T08:00:00Z"),
                Arguments.of(Map.of("digest", true, "digestAt", "07:30", "timeZone", "Europe/Berlin"), "2026-11-25T07:00:00Z",
                        "2026-11-24T06:30:00Z", "2026-11-25T06:30:00Z"),
                // The day clocks go back in Berlin (25 Oct 2026) is 25 hours long.
                Arguments.of(Map.of("digest", true, "digestAt", "08:00", "timeZone", "Europe/Berlin"), "2026-10-25T12:00:00Z",
                        "2026-10-24T06:00:00Z", "2026-10-25T07:00:00Z"));
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void period(Map<String, Object> settings, String now, String start, String end) {
        List<FieldError> errors = new ArrayList<>();
        DigestSchedule s = DigestSchedule.of(settings, LocalTime.of(8, 0), errors);
        assertEquals(List.of(), errors);
        Instant e = s.latestEnd(Instant.parse(now));
        assertEquals(Instant.parse(end), e);
        assertEquals(Instant.parse(start), s.startOf(e));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void badSettingsNameTheField(Map<String, Object> settings, String field) {
        List<FieldError> errors = new ArrayList<>();
        DigestSchedule.of(settings, LocalTime.of(8, 0), errors);
        assertEquals(List.of(field), errors.stream().map(FieldError::field).toList());
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(Arguments.of(Map.of("digest", "yes"), "settings.digest"),
                Arguments.of(Map.of("digest", true, "digestAt", "8am"), "settings.digestAt"),
                Arguments.of(Map.of("digest", true, "timeZone", "Mars/Olympus"), "settings.timeZone"));
    }
}
