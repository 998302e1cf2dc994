package dev.gatewatch.analysis.model;

import java.time.Duration;

/**
 * Installation-wide analyzer settings.
 *
 * @param flapChanges        this many state changes (failing ↔ passing) ...
 * @param flapSpan           ... within this span make the monitor flapping: one incident instead of a storm
 * @param flapQuiet          a flapping incident ends after this long without a change (and all checks passing)
 * @param deployLimit        how long an open-ended deployment marker (no end, no expected duration) covers failures
 * @param evidenceSamples    most failing samples kept as an episode's evidence
 */
public record Settings(int flapChanges, Duration flapSpan, Duration flapQuiet, Duration deployLimit, int evidenceSamples) {

    public static final Settings DEFAULTS = new Settings(6, Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofMinutes(15), 20);
}
