package dev.gatewatch.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

/**
 * A query for a health check that answers within a deadline whatever the database does. A frozen server keeps its
 * TCP connections open, so a plain query (or a pool waiting on a new connection) would hang the probe for as long as
 * the freeze lasts: the query runs on a thread of its own, and the caller waits at most the deadline. While one query
 * hangs no other is started, so a frozen database holds one thread, not one per probe.
 */
public final class BoundedQuery<T> {

    /** What a query does on its connection. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /** The query's answer, or why there is none: it failed, or gave none within the deadline. */
    public record Answer<T>(T value, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private final DataSource dataSource;
    private final Work<T> work;
    private final Duration networkTimeout;
    private final ExecutorService thread;
    private CompletableFuture<T> inFlight;
    private Instant started;

    /**
     * @param networkTimeout socket timeout for the query itself, so that a query lost in a black hole ends (and the
     *        next probe may start one) instead of holding its thread for good
     */
    public BoundedQuery(String name, DataSource dataSource, Duration networkTimeout, Work<T> work) {
        this.dataSource = dataSource;
        this.work = work;
        this.networkTimeout = networkTimeout;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the query (or joins the one still running) and waits for it until {@code deadline} after it started. */
    public Answer<T> ask(Duration deadline) {
        CompletableFuture<T> query;
        Duration waited;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                started = Instant.now();
                inFlight = CompletableFuture.supplyAsync(this::run, thread);
            }
            query = inFlight;
            waited = Duration.between(started, Instant.now());
        }
        long left = Math.max(0, deadline.minus(waited).toMillis());
        try {
            return new Answer<>(query.get(left, TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            return new Answer<>(null, "no answer from the database within " + deadline.toMillis() + " ms (query waiting for "
                    + Duration.between(startedAt(), Instant.now()).toMillis() + " ms)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            return new Answer<>(null, String.valueOf(cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer<>(null, "interrupted");
        }
    }

    private synchronized Instant startedAt() {
        return started;
    }

    private T run() {
        try (Connection c = dataSource.getConnection()) {
            int before = c.getNetworkTimeout();
            c.setNetworkTimeout(Runnable::run, (int) networkTimeout.toMillis());
            try {
                return work.on(c);
            } finally {
                if (!c.isClosed()) { // a timed-out socket closes the connection; the pool then discards it
                    c.setNetworkTimeout(Runnable::run, before);
                }
            }
        } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
