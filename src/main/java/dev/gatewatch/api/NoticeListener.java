package dev.gatewatch.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTENs on one PostgreSQL channel on a connection of its own, in a daemon thread, handing every payload to
 * {@code heard}; reconnects a second after the connection is lost. Notices sent while it is not listening are lost:
 * {@link #connection()} changes with every (re)connection, so a user can tell when it must look for itself.
 */
public final class NoticeListener implements AutoCloseable {

    private static final int WAIT_MS = 500;

    private final DataSource dataSource;
    private final String channel;
    private final Consumer<String> heard;
    private final FaultLog faults;
    private final String missed;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long connection; // counts (re)connections; 0 while not listening

    /** @param missed what happens while it is not listening, for the log line */
    public NoticeListener(DataSource dataSource, String channel, String threadName, Logger log, String missed, Consumer<String> heard) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.heard = heard;
        this.faults = new FaultLog(log, channel + " notices");
        this.missed = missed;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Which connection is listening now (a new number after each reconnection); 0 while none is. */
    public long connection() {
        return connection;
    }

    private void run() {
        long connections = 0;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("listen " + channel);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                connection = ++connections;
                faults.recovered(null);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(WAIT_MS);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            heard.accept(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connection = 0;
                if (running) {
                    faults.failed("not listening (" + e.getMessage() + "); " + missed);
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
