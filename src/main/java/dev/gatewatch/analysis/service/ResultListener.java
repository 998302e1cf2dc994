package dev.gatewatch.analysis.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import dev.gatewatch.api.NoticeListener;
import dev.gatewatch.check.ResultNotices;

/**
 * Hears which monitors have new results ({@link ResultNotices}) on a connection of its own, so that an analyzer pass
 * claims those monitors by id instead of scanning every monitor's latest results. A pass still scans everything when
 * the listener may have missed notices (not connected, or reconnected since the last scan) and every {@code fullScan}.
 */
final class ResultListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultListener.class);

    /** What a pass looks at: every monitor, or only those named since the last pass (plus those with something on). */
    record Work(boolean everything, Set<Long> monitors) {
    }

    private final Duration fullScan;
    private final Set<Long> heard = ConcurrentHashMap.newKeySet();
    private final NoticeListener listener;
    private long scannedAt;
    private Instant lastScan = Instant.MIN;

    ResultListener(DataSource dataSource, Duration fullScan) {
        this.fullScan = fullScan;
        this.listener = new NoticeListener(dataSource, ResultNotices.CHANNEL, "analyzer-result-notices", LOG,
                "every pass scans all monitors until it is back", payload -> heard.addAll(ResultNotices.monitors(payload)));
    }

    /** The work of the next pass; what was heard so far is handed over and forgotten. */
    synchronized Work next(Instant now) {
        long current = listener.connection();
        if (current == 0 || current != scannedAt || !now.isBefore(lastScan.plus(fullScan))) {
            heard.clear(); // a scan covers them; notices arriving from here on are for the next pass
            scannedAt = current;
            lastScan = now;
            return new Work(true, Set.of());
        }
        Set<Long> ids = new HashSet<>(heard);
        heard.removeAll(ids);
        return new Work(false, ids);
    }

    @Override
    public void close() {
        listener.close();
    }
}
