package dev.gatewatch.analysis.model;

import java.time.Duration;
import java.time.Instant;

/**
 * What the analyzer remembers of one (region, resolver).
 *
 * @param latest       the newest sample
 * @param okRun        consecutive passing samples up to the newest
 * @param okSince      when the current passing run began (null while failing)
 * @param failingSince when the current failing run began (null while passing)
 * @param lastOkAt     when this stream last passed (null if never)
 * @param lastFail     the newest failing sample of the current or the last failing run (null if none yet)
 * @param failedFrom   when that run is taken to have begun: a little before its first failing check (null if none)
 */
public record StreamState(Sample latest, int okRun, Instant okSince, Instant failingSince, Instant lastOkAt, Sample lastFail,
                          Instant failedFrom) {

    /**
     * How far before its first failing check a failure is taken to have begun, at most: halfway back to the last pass,
     * never more than this, so that a blip shorter than the window by this much can never reach it.
     */
    public static final Duration START_LEEWAY = Duration.ofSeconds(5);

    public StreamState {
        // States stored before the last run was remembered.
        if (lastFail == null && latest != null && !latest.ok()) {
            lastFail = latest;
        }
        if (failedFrom == null && failingSince != null) {
            failedFrom = failingSince.minus(leeway(failingSince, lastOkAt));
        }
    }

    public static StreamState empty() {
        return new StreamState(null, 0, null, null, null, null, null);
    }

    public StreamState next(Sample s) {
        if (s.ok()) {
            return new StreamState(s, okRun + 1, latest != null && latest.ok() && okSince != null ? okSince : s.at(), null, s.at(),
                    lastFail, failedFrom);
        }
        boolean continuing = latest != null && !latest.ok() && failingSince != null;
        Instant since = continuing ? failingSince : s.at();
        return new StreamState(s, 0, null, since, lastOkAt, s, continuing ? failedFrom : since.minus(leeway(since, lastOkAt)));
    }

    /**
     * A failing check stored after a newer check of the stream (a slow write, a check that took longer than the next
     * one): it still tells how long the last failing run lasted, when it ran after that run's newest failure and before
     * the stream passed again. Anything else it says is older than what the stream already knows.
     */
    public StreamState late(Sample s) {
        if (s.ok() || lastFail == null || !s.at().isAfter(lastFail.at()) || (okSince != null && !s.at().isBefore(okSince))) {
            return this;
        }
        return new StreamState(latest, okRun, okSince, failingSince, lastOkAt, s, failedFrom);
    }

    /** The newest time the last failing run's checks speak for: the end of its newest failing check. */
    public Instant failedUntil() {
        return lastFail == null ? null : lastFail.end();
    }

    private static Duration leeway(Instant first, Instant lastOk) {
        Duration back = lastOk == null ? Duration.ZERO : Duration.between(lastOk, first).dividedBy(2);
        return back.compareTo(START_LEEWAY) > 0 ? START_LEEWAY : back;
    }
}
