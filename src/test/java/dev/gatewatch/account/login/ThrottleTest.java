package dev.gatewatch.account.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.junit.jupiter.api.Test;

class ThrottleTest {

    private static final Throttle RULE = new Throttle(5, Duration.ofMinutes(15), Duration.ofHours(1));
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @ParameterizedTest(name = "{0} failures wait {1} s")
    @CsvSource({"0,0", "1,0", "5,0", "6,1", "7,2", "8,4", "10,16", "14,256", "15,512", "16,900", "40,900", "46,900",
            "2147483647,900"})
    void theWaitDoublesAfterTheFreeFailuresUpToTheLock(int failures, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), RULE.waitAfter(failures));
    }

    @Test
    void everyTryCountsAndLocksOnceTheFreeOnesAreUsed() {
        Throttle.Record r = Throttle.Record.NONE;
        for (int i = 1; i <= 5; i++) {
            r = RULE.tried(r, T0);
            assertEquals(i, r.failures());
            assertNull(r.lockedUntil(), "free try " + i);
            assertEquals(Duration.ZERO, RULE.waitLeft(r, T0));
        }
        r = RULE.tried(r, T0);
        assertEquals(T0.plusSeconds(1), r.lockedUntil());
        assertEquals(Duration.ofSeconds(1), RULE.waitLeft(r, T0));
        assertEquals(Duration.ofMillis(1), RULE.waitLeft(r, T0.plusMillis(999)));
        assertEquals(Duration.ZERO, RULE.waitLeft(r, T0.plusSeconds(1)));
        r = RULE.tried(r, T0.plusSeconds(1));
        assertEquals(T0.plusSeconds(3), r.lockedUntil(), "7 failures: 2 s from the 7th");
    }

    @ParameterizedTest(name = "last failure {0} s ago, locked for {1} s more: forgotten {2}")
    @CsvSource({"0,0,false", "3599,0,false", "3600,0,true", "7200,0,true", "3600,60,false", "7200,1,false"})
    void failuresAreForgottenAnHourAfterTheLastOneOnceNoLockHolds(long ago, long lockedFor, boolean forgotten) {
        Instant now = T0.plusSeconds(10_000);
        Throttle.Record r = new Throttle.Record(12, now.minusSeconds(ago), lockedFor == 0 ? null : now.plusSeconds(lockedFor));
        assertEquals(forgotten, RULE.forgotten(r, now));
        if (forgotten) {
            assertEquals(1, RULE.tried(r, now).failures(), "starts over");
        } else {
            assertEquals(13, RULE.tried(r, now).failures());
        }
    }

    @Test
    void aLockNeverExceedsTheMaximumEvenAfterYearsOfTries() {
        Throttle.Record r = new Throttle.Record(Integer.MAX_VALUE, T0, null);
        Throttle.Record next = RULE.tried(r, T0);
        assertTrue(Duration.between(T0, next.lockedUntil()).compareTo(Duration.ofMinutes(15)) <= 0);
    }
}
