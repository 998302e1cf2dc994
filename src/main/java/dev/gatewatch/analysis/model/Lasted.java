package dev.gatewatch.analysis.model;

import java.time.Duration;
import java.time.Instant;

import dev.gatewatch.api.Durations;

/**
 * How long trouble lasted, as far as the checks can tell. It began after the last passing check and by the first
 * failing one, and it ended after the last failing check and by the first passing one after it; so it lasted at least
 * from the first to the last failing check and at most from the last passing check before to the first passing after.
 */
public record Lasted(Duration least, Duration most) {

    /**
     * The bounds from the four checks around the trouble. {@code lastFail} may be null (stored before it was recorded):
     * then the first failing check is the only one known. Out-of-order times are clamped so that least ≤ most.
     */
    public static Lasted of(Instant lastPass, Instant firstFail, Instant lastFail, Instant firstPassAfter) {
        Instant from = lastPass.isAfter(firstFail) ? firstFail : lastPass;
        Instant to = firstPassAfter.isBefore(firstFail) ? firstFail : firstPassAfter;
        Instant fail = lastFail == null || lastFail.isBefore(firstFail) ? firstFail : lastFail.isAfter(to) ? to : lastFail;
        return new Lasted(Duration.between(firstFail, fail), Duration.between(from, to));
    }

    /** "50–59 s", "3 min 10 s – 3 min 30 s". */
    public String words() {
        return Durations.range(least, most);
    }
}
