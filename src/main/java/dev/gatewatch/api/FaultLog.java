package dev.gatewatch.api;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Logs a repeating failure once per change of state: the first failure (message, no stack trace), a reminder with the
 * count while it lasts, and the recovery with how long it lasted; a failing retry loop otherwise writes the same stack
 * trace every few seconds.
 */
public final class FaultLog {

    private static final Duration REMIND_EVERY = Duration.ofMinutes(5);

    private final Logger log;
    private final String what;
    private long failures;
    private volatile long total;
    private Instant since;
    private Instant reminded;

    /** @param what the subject of the log lines, e.g. "result writer" */
    public FaultLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /**
     * Counts every failure, logged or not, as {@code gatewatch.loop.failures{loop}}: the log shows the changes of
     * state, the counter how often it failed in between.
     */
    public FaultLog counted(MeterRegistry metrics, String loop) {
        FunctionCounter.builder("gatewatch.loop.failures", this, f -> f.total).tag("loop", loop)
                .description("Failed runs of a periodic loop (logged once when it starts failing and once when it recovers)")
                .register(metrics);
        return this;
    }

    /** One more failure; logged if it is the first or a reminder is due. */
    public synchronized void failed(String message) {
        total++;
        Instant now = Instant.now();
        if (failures++ == 0) {
            since = now;
            reminded = now;
            log.warnf("%s: %s", what, message);
        } else if (Duration.between(reminded, now).compareTo(REMIND_EVERY) >= 0) {
            reminded = now;
            log.warnf("%s still failing after %d attempts in %s: %s", what, failures, Durations.words(Duration.between(since, now)), message);
        }
    }

    /** Success: logs the recovery if there were failures. */
    public synchronized void recovered(String detail) {
        if (failures > 0) {
            log.infof("%s works again after %d failed attempts in %s%s", what, failures,
                    Durations.words(Duration.between(since, Instant.now())), detail == null || detail.isEmpty() ? "" : "; " + detail);
            failures = 0;
        }
    }
}
