package dev.gatewatch.analysis.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.check.ResultNotices;

/**
 * Hears which monitors have new results ({@link ResultNotices}) on a connection of its own, so that an analyzer pass
 * claims those monitors by id instead of scanning every monitor's latest results. A pass still scans everything when
 * the listener may have missed notices (not connected, or reconnected since the last scan) and every {@code fullScan}.
 */
final class ResultListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultListener.class);
    private static final int WAIT_MS = 500;

    /** What a pass looks at: every monitor, or only those named since the last pass (plus those with something on). */
    record Work(boolean everything, Set<Long> monitors) {
    }

    private final DataSource dataSource;
    private final Duration fullScan;
    private final Set<Long> heard = ConcurrentHashMap.newKeySet();
    private final FaultLog faults = new FaultLog(LOG, "result notices");
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long connection; // counts (re)connections; 0 while not listening
    private long scannedAt;
    private Instant lastScan = Instant.MIN;

    ResultListener(DataSource dataSource, Duration fullScan) {
        this.dataSource = dataSource;
        this.fullScan = fullScan;
        this.thread = new Thread(this::run, "analyzer-result-notices");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The work of the next pass; what was heard so far is handed over and forgotten. */
    synchronized Work next(Instant now) {
        long current = connection;
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

    private void run() {
        long connections = 0;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("listen " + ResultNotices.CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                connection = ++connections;
                faults.recovered(null);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(WAIT_MS);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            heard.addAll(ResultNotices.monitors(n.getParameter()));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connection = 0;
                if (running) {
                    faults.failed("not listening (" + e.getMessage() + "); every pass scans all monitors until it is back");
                    sleep();
                }
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
