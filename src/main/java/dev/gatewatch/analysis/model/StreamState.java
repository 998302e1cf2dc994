package dev.gatewatch.analysis.model;

import java.time.Instant;

/**
 * What the analyzer remembers of one (region, resolver).
 *
 * @param latest       the newest sample
 * @param okRun        consecutive passing samples up to the newest
 * @param okSince      when the current passing run began (null while failing)
 * @param failingSince when the current failing run began (null while passing)
 * @param lastOkAt     when this stream last passed (null if never)
 */
public record StreamState(Sample latest, int okRun, Instant okSince, Instant failingSince, Instant lastOkAt) {

    public StreamState next(Sample s) {
        return s.ok()
                ? new StreamState(s, okRun + 1, latest != null && latest.ok() && okSince != null ? okSince : s.at(), null, s.at())
                : new StreamState(s, 0, null, latest != null && !latest.ok() && failingSince != null ? failingSince : s.at(), lastOkAt);
    }
}
