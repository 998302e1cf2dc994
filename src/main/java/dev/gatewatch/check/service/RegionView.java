package dev.gatewatch.check.service;

import java.time.Instant;
import java.util.List;

/**
 * A region and its checker nodes.
 *
 * @param live        whether at least one node has sent a heartbeat within the node timeout
 * @param silentSince when the last live node went quiet, if none is live now
 */
public record RegionView(String region, boolean live, int liveNodes, Instant lastSeenAt, Instant silentSince, List<Node> nodes) {

    /** One checker process. */
    public record Node(String id, String host, String version, Instant startedAt, Instant lastSeenAt, Instant stoppedAt,
            boolean live, int inFlight, int checksPerMinute, int buffered, long dropped) {
    }
}
