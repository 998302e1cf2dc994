package dev.gatewatch.check.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.api.Sql;
import dev.gatewatch.check.CheckResult;

/**
 * One writer thread and its buffer: results of the monitors routed to it, written in batches of up to
 * {@code batchSize} or every {@code flushInterval}, with their rollups merged in memory and written every
 * {@code rollupInterval}. While the database is unreachable results wait here, up to the lane's share of the buffer.
 */
final class WriterLane {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    /** How long after a minute ends its rollup is written: its slowest checks (a timeout) are stored by then. */
    private static final Duration MINUTE_GRACE = Duration.ofSeconds(40);

    private final DataSource dataSource;
    private final ResultWriter.Settings settings;
    private final int bufferLimit;
    private final Runnable ensurePartitions;
    private final ResultWriter.Counts counts;
    private final ResultLabels labels;
    private final Deque<Batch> buffer = new ArrayDeque<>();
    private final RollupBuffer rollups = new RollupBuffer();
    private final FaultLog faults;
    private final Thread thread;
    private int bufferedResults;
    private int writing;
    private volatile int rollupResults;
    private volatile boolean rollupsWanted;
    private volatile Instant lastWrite = Instant.now();
    private volatile Instant oldestWaiting;
    private volatile boolean running = true;
    private Instant lastRollupWrite = Instant.now();
    private Instant rollupRetryAt = Instant.MIN;
    private int failures;

    WriterLane(int index, DataSource dataSource, ResultWriter.Settings settings, Runnable ensurePartitions, ResultWriter.Counts counts,
            ResultLabels labels) {
        this.dataSource = dataSource;
        this.labels = labels;
        this.settings = settings;
        this.bufferLimit = Math.max(1, settings.bufferLimit() / settings.lanes());
        this.ensurePartitions = ensurePartitions;
        this.counts = counts;
        this.faults = new FaultLog(LOG, "result writer" + (settings.lanes() > 1 ? " " + index : ""));
        this.thread = new Thread(this::run, "check-result-writer-" + index);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(Batch batch) {
        synchronized (buffer) {
            if (buffer.isEmpty() && writing == 0) {
                oldestWaiting = Instant.now();
            }
            buffer.addLast(batch);
            bufferedResults += batch.size();
            while (bufferedResults > bufferLimit && buffer.size() > 1) {
                Batch oldest = buffer.removeFirst();
                bufferedResults -= oldest.size();
                long total = counts.dropped.addAndGet(oldest.size());
                if (total == oldest.size() || total % 1000 < oldest.size()) {
                    LOG.errorf("result buffer full (%d results, database unreachable?): dropped the oldest, %d dropped so far",
                            settings.bufferLimit(), total);
                }
            }
            if (bufferedResults >= settings.batchSize()) {
                buffer.notifyAll();
            }
        }
    }

    int buffered() {
        synchronized (buffer) {
            return bufferedResults + writing;
        }
    }

    /** Stored results whose rollups are not written yet. */
    int rollupsPending() {
        return rollupResults;
    }

    Duration stalledFor() {
        synchronized (buffer) {
            if (bufferedResults + writing == 0) {
                return Duration.ZERO;
            }
        }
        Instant since = oldestWaiting == null || lastWrite.isAfter(oldestWaiting) ? lastWrite : oldestWaiting;
        return Duration.between(since, Instant.now());
    }

    /** Writes what waits now, rollups included, instead of at the end of the batch window or retry back-off. */
    void nudge(boolean withRollups) {
        if (withRollups) {
            rollupsWanted = true;
        }
        synchronized (buffer) {
            buffer.notifyAll();
        }
    }

    /** Asks the thread to write what it holds and stop. */
    void stop() {
        running = false;
        nudge(true);
    }

    /** Returns once the thread has stopped, or the time is up. */
    void await(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            cycle(take());
        }
        // Stopping: one more go at everything held, then the rollups; what still fails is counted by the caller.
        while (true) {
            List<Batch> rest = takeNow();
            if (rest.isEmpty() || !cycle(rest)) {
                break;
            }
        }
        writeRollups(true);
    }

    /** Writes the batches, then the rollups when due; false when the database refused to take them. */
    private boolean cycle(List<Batch> batches) {
        boolean ok = true;
        if (!batches.isEmpty()) {
            try {
                write(batches);
                failures = 0;
                faults.recovered(buffered() + " results waiting");
            } catch (SQLException e) {
                ok = false;
                failures++;
                faults.failed("cannot write (" + e.getMessage() + "); keeping up to " + bufferLimit + " results in memory");
                if (running) {
                    pause(Math.min(5000, 100L << Math.min(failures, 6)));
                }
            }
        }
        Instant now = Instant.now();
        if (ok && !now.isBefore(rollupRetryAt)) {
            writeRollups(rollupsWanted || !now.isBefore(lastRollupWrite.plus(settings.rollupInterval())));
        }
        return ok;
    }

    private void write(List<Batch> batches) throws SQLException {
        Deque<List<Batch>> work = new ArrayDeque<>();
        work.push(batches);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Isolating.write(work, part -> commit(c, part), (bad, cause) -> setAside(c, bad, cause), ensurePartitions,
                    this::accounted);
        } catch (SQLException e) {
            giveBack(work);
            throw e;
        }
    }

    /**
     * One slot PostgreSQL refuses: stored without its details, or at least its slot completed, or else dropped; counted
     * and logged either way. Throws only errors that are not about this data (the caller gives it back).
     */
    private void setAside(Connection c, Batch bad, SQLException cause) throws SQLException {
        counts.unstorable.addAndGet(bad.size());
        CheckResult first = bad.results().isEmpty() ? null : bad.results().get(0);
        String which = first == null ? "a slot" : "monitor " + first.monitorId() + " (region " + first.region() + ", due " + first.dueAt() + ")";
        LOG.warnf("PostgreSQL refused the %d results of %s: %s; storing them without their details", bad.size(), which,
                cause.getMessage());
        List<Batch> fallbacks = List.of(
                new Batch(bad.results().stream().map(r -> ResultStore.withoutDetails(r, cause)).toList(), bad.completion()),
                new Batch(List.of(), bad.completion()));
        for (Batch fallback : fallbacks) {
            try {
                commit(c, List.of(fallback));
                return;
            } catch (SQLException e) {
                if (!Sql.dataError(e)) {
                    throw e;
                }
                LOG.warnf("could not store them without details either (%s)", e.getMessage());
            } catch (RuntimeException e) {
                LOG.warnf("could not store them without details either (%s)", e);
            }
        }
        LOG.errorf("dropped the %d results of %s that PostgreSQL refuses", bad.size(), which);
    }

    private void commit(Connection c, List<Batch> part) throws SQLException {
        ResultStore.Outcome outcome;
        try {
            outcome = ResultStore.write(c, part, labels, settings.synchronousCommit());
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
        counts.written.addAndGet(outcome.stored().size());
        counts.superseded.addAndGet(outcome.superseded());
        rollups.add(outcome.stored());
        rollupResults = rollups.results();
        lastWrite = Instant.now();
    }

    /**
     * Writes the rollups held, when {@code due}; while the database is away they stay merged in memory (a stream-minute
     * costs the same however many results it holds). A row PostgreSQL refuses is dropped and counted.
     */
    private void writeRollups(boolean due) {
        if (!due) {
            return;
        }
        // Only minutes that ended a while ago, so that each is written once, whole; everything when asked to flush.
        boolean all = rollupsWanted || !running || settings.rollupInterval().isZero();
        List<RollupBuffer.Row> rows = rollups.drain(all ? null : Instant.now().minus(MINUTE_GRACE).truncatedTo(ChronoUnit.MINUTES));
        if (!rows.isEmpty() && !written(rows)) {
            return;
        }
        rollupsWanted = false;
        lastRollupWrite = Instant.now();
    }

    /** Writes drained rollup rows; false, with what was not written put back, while the database is unreachable. */
    private boolean written(List<RollupBuffer.Row> rows) {
        Deque<List<RollupBuffer.Row>> work = new ArrayDeque<>();
        work.push(rows);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Isolating.write(work, part -> commitRollups(c, part), (bad, cause) -> {
                counts.rollupsDropped.addAndGet(bad.totals().checks);
                LOG.errorf("PostgreSQL refused the rollup of monitor %d (%s, %s) for the minute of %s: %s; its %d checks are"
                        + " missing from the rollups", bad.monitorId(), bad.region(), bad.resolver(), bad.bucket(),
                        cause.getMessage(), bad.totals().checks);
            }, ensurePartitions, part -> { });
            return true;
        } catch (SQLException e) {
            work.forEach(rollups::restore);
            rollupRetryAt = Instant.now().plusSeconds(2); // the results go on being written meanwhile
            faults.failed("cannot write rollups (" + e.getMessage() + "); keeping them in memory");
            return false;
        } finally {
            rollupResults = rollups.results();
        }
    }

    private void commitRollups(Connection c, List<RollupBuffer.Row> part) throws SQLException {
        try {
            if (!settings.synchronousCommit()) {
                ResultStore.commitWithoutWaitingForDisk(c);
            }
            RollupStore.write(c, part);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** These batches are done with (written, set aside or dropped). */
    private void accounted(List<Batch> part) {
        int n = part.stream().mapToInt(Batch::size).sum();
        synchronized (buffer) {
            writing -= n;
        }
    }

    private List<Batch> take() {
        synchronized (buffer) {
            if (bufferedResults < settings.batchSize() && running && !rollupsWanted) {
                try {
                    buffer.wait(settings.flushInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            return removeUpTo(settings.batchSize());
        }
    }

    private List<Batch> takeNow() {
        synchronized (buffer) {
            return removeUpTo(settings.batchSize());
        }
    }

    private List<Batch> removeUpTo(int limit) {
        List<Batch> out = new ArrayList<>();
        int n = 0;
        while (!buffer.isEmpty() && n < limit) {
            Batch b = buffer.removeFirst();
            n += b.size();
            out.add(b);
        }
        bufferedResults -= n;
        writing += n;
        return out;
    }

    /** Puts what is not written back at the head of the buffer, in its order (the next part to write first). */
    private void giveBack(Deque<List<Batch>> work) {
        synchronized (buffer) {
            for (var parts = work.descendingIterator(); parts.hasNext(); ) {
                List<Batch> part = parts.next();
                for (int i = part.size() - 1; i >= 0; i--) {
                    buffer.addFirst(part.get(i));
                    bufferedResults += part.get(i).size();
                    writing -= part.get(i).size();
                }
            }
        }
    }

    private void pause(long ms) {
        synchronized (buffer) {
            try {
                buffer.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
