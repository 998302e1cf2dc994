package dev.gatewatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one duration formatter: single durations and ranges. */
class DurationsTest {

    static Stream<Arguments> words() {
        return Stream.of(
                Arguments.of(0L, "0 s"),
                Arguments.of(-5L, "0 s"),
                Arguments.of(1L, "1 s"),
                Arguments.of(45L, "45 s"),
                Arguments.of(59L, "59 s"),
                Arguments.of(60L, "1 min"),
                Arguments.of(61L, "1 min 1 s"),
                Arguments.of(90L, "1 min 30 s"),
                Arguments.of(180L, "3 min"),
                Arguments.of(200L, "3 min 20 s"),
                Arguments.of(599L, "9 min 59 s"),
                Arguments.of(600L, "10 min"),
                Arguments.of(641L, "10 min"),
                Arguments.of(3599L, "59 min"),
                Arguments.of(3600L, "1 h"),
                Arguments.of(3659L, "1 h"),
                Arguments.of(3660L, "1 h 1 min"),
                Arguments.of(7500L, "2 h 5 min"),
                Arguments.of(86399L, "23 h 59 min"),
                Arguments.of(86400L, "1 d"),
                Arguments.of(90000L, "1 d 1 h"),
                Arguments.of(7L * 86400, "7 d"),
                Arguments.of(3L * 86400 + 4 * 3600 + 59 * 60, "3 d 4 h"));
    }

    @ParameterizedTest
    @MethodSource
    void words(long seconds, String expected) {
        assertEquals(expected, Durations.words(Duration.ofSeconds(seconds)));
    }

    @ParameterizedTest
    @MethodSource("words")
    void partsOfASecondAreCutOff(long seconds, String expected) {
        assertEquals(expected, Durations.words(Duration.ofSeconds(seconds).plusMillis(999)));
    }

    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of(50L, 59L, "50–59 s"),
                Arguments.of(0L, 10L, "0–10 s"),
                Arguments.of(30L, 50L, "30–50 s"),
                Arguments.of(40L, 40L, "40 s"),
                Arguments.of(50L, 70L, "50 s – 1 min 10 s"),
                Arguments.of(45L, 60L, "45 s – 1 min"),
                Arguments.of(190L, 210L, "3 min 10 s – 3 min 30 s"),
                Arguments.of(200L, 210L, "3 min 20 s – 3 min 30 s"),
                Arguments.of(180L, 240L, "3–4 min"),
                Arguments.of(180L, 200L, "3 min – 3 min 20 s"),
                Arguments.of(590L, 610L, "9 min 50 s – 10 min"),
                Arguments.of(640L, 700L, "10–11 min"),
                Arguments.of(605L, 650L, "10 min"),
                Arguments.of(600L, 600L, "10 min"),
                Arguments.of(3500L, 3599L, "58–59 min"),
                Arguments.of(3500L, 3600L, "58 min – 1 h"),
                Arguments.of(3600L, 3650L, "1 h"),
                Arguments.of(3600L, 3700L, "1 h – 1 h 1 min"),
                Arguments.of(3600L, 7200L, "1–2 h"),
                Arguments.of(7500L, 7800L, "2 h 5 min – 2 h 10 min"),
                Arguments.of(86000L, 90000L, "23 h 53 min – 1 d 1 h"),
                Arguments.of(2L * 86400, 3L * 86400, "2–3 d"),
                Arguments.of(2L * 86400, 2L * 86400 + 3600, "2 d – 2 d 1 h"),
                // ends given the wrong way round still make a range
                Arguments.of(59L, 50L, "50–59 s"),
                Arguments.of(-3L, 5L, "0–5 s"));
    }

    @ParameterizedTest
    @MethodSource
    void ranges(long low, long high, String expected) {
        assertEquals(expected, Durations.range(Duration.ofSeconds(low), Duration.ofSeconds(high)));
    }

    @ParameterizedTest
    @MethodSource("words")
    void aRangeOfOneDurationIsThatDuration(long seconds, String expected) {
        assertEquals(expected, Durations.range(Duration.ofSeconds(seconds), Duration.ofSeconds(seconds)));
    }
}
