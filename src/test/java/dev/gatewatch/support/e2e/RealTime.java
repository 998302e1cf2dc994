package dev.gatewatch.support.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waiting in real time, as end-to-end tests against real processes must. */
public final class RealTime {

    private RealTime() {
    }

    /** Polls {@code condition} every 250 ms; fails the test when it does not hold within {@code limit}. */
    public static void waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(end), "condition not met within " + limit);
            Thread.sleep(250);
        }
    }

    /** Sleeps until {@code when}; returns at once if it has passed. */
    public static void sleepUntil(Instant when) throws InterruptedException {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
