package dev.gatewatch.analysis.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the analyzer carries from one evaluation of a monitor to the next; stored as JSON so any analyzer
 * instance can continue after a restart.
 *
 * @param streams   per "region via resolver"
 * @param episode   the open availability episode (SUSPECT, DOWN, FLAPPING); null when UP
 * @param degraded  the open latency incident, if any
 * @param slowSince since when most live checks have been slower than the limit; null if not
 * @param fastRun   samples under the limit since the monitor stopped being slow (closes a degraded incident)
 * @param changes   recent episode starts and ends outside deployments, for flapping
 * @param failing   whether the live checks were failing at the last evaluation
 * @param flips     per "stream@address": its own changes, which decide flapping (null in states stored before them)
 */
public record MonitorState(Phase phase, Map<String, StreamState> streams, Episode episode, Episode degraded,
                           Instant slowSince, int fastRun, List<Instant> changes, boolean failing, Map<String, Flip> flips) {

    public MonitorState {
        flips = flips == null ? Map.of() : flips;
    }

    public static MonitorState initial() {
        return new MonitorState(Phase.UP, Map.of(), null, null, null, 0, List.of(), false, Map.of());
    }

    public MonitorState withEpisodes(Episode episode, Episode degraded) {
        return new MonitorState(phase, streams, episode, degraded, slowSince, fastRun, changes, failing, flips);
    }

    public MonitorState withStreams(Map<String, StreamState> streams) {
        return new MonitorState(phase, streams, episode, degraded, slowSince, fastRun, changes, failing, flips);
    }

    /** Whether checks should run at the fast interval: failures or a recovery are being confirmed, or it flaps. */
    public boolean hurry() {
        return phase == Phase.SUSPECT || phase == Phase.FLAPPING || (phase == Phase.DOWN && !failing);
    }
}
