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
 * @param changes   recent failing/passing changes outside deployments, for flapping
 * @param failing   whether the live checks were failing at the last evaluation
 */
public record MonitorState(Phase phase, Map<String, StreamState> streams, Episode episode, Episode degraded,
                           Instant slowSince, int fastRun, List<Instant> changes, boolean failing) {

    public static MonitorState initial() {
        return new MonitorState(Phase.UP, Map.of(), null, null, null, 0, List.of(), false);
    }

    public MonitorState withEpisodes(Episode episode, Episode degraded) {
        return new MonitorState(phase, streams, episode, degraded, slowSince, fastRun, changes, failing);
    }

    public MonitorState withStreams(Map<String, StreamState> streams) {
        return new MonitorState(phase, streams, episode, degraded, slowSince, fastRun, changes, failing);
    }

    /** Whether checks should run at the fast interval: failures are being confirmed or a recovery is. */
    public boolean hurry() {
        return phase == Phase.SUSPECT || (phase == Phase.DOWN && !failing);
    }
}
