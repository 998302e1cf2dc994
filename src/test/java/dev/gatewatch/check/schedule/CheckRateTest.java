package dev.gatewatch.check.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckRateTest {

    private static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");

    /** Steady checks every {@code everyMs}, read at 5 s heartbeats from {@code phaseMs}: the rate holds steady once a minute is in. */
    @ParameterizedTest
    @CsvSource({"5000,0,12", "5000,2500,12", "5000,4999,12", "2500,1000,24", "1000,300,60", "30000,100,2", "60000,0,1"})
    void steadyChecksReadSteadily(long everyMs, long phaseMs, int expected) {
        CheckRate rate = new CheckRate(Duration.ofMinutes(1), T0);
        long done = 0;
        long nextCheck = phaseMs;
        for (long t = 5000; t <= 600_000; t += 5000) {
            while (nextCheck <= t) {
                done++;
                nextCheck += everyMs;
            }
            int perMinute = rate.perMinute(done, T0.plusMillis(t));
            if (t >= 120_000) {
                assertTrue(Math.abs(perMinute - expected) <= Math.max(1, expected / 10), "at " + t + " ms: " + perMinute + " per minute");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "30"})
    void nothingDoneReadsZeroAndAStopFallsToZeroWithinAMinute(int stopAfterSeconds) {
        CheckRate rate = new CheckRate(Duration.ofMinutes(1), T0);
        long done = 0;
        int last = -1;
        for (int s = 5; s <= 180; s += 5) {
            if (s <= stopAfterSeconds) {
                done += 5;
            }
            last = rate.perMinute(done, T0.plusSeconds(s));
        }
        assertEquals(0, last);
    }
}
