package dev.gatewatch.check.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.api.Sql;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.schedule.Completion;

/**
 * Writes check results in batches (one transaction per batch, see {@link ResultStore}). While the database is
 * unreachable, results wait in a bounded buffer; past the bound the oldest are dropped, logged and counted. A batch that
 * PostgreSQL refuses for its data (SQLSTATE class 22 or 23) is split in halves, each written on its own, down to the one
 * slot at fault, which is stored without its details (or, failing that, dropped) and counted; the rest never waits for it.
 */
public final class ResultWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);

    public record Settings(int batchSize, Duration flushInterval, int bufferLimit) {
    }

    private final DataSource dataSource;
    private final Settings settings;
    private final Runnable ensurePartitions;
    private final Deque<Batch> buffer = new ArrayDeque<>();
    private int bufferedResults;
    private int writing;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong unstorable = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();
    private final FaultLog faults = new FaultLog(LOG, "result writer");
    private volatile Instant lastWrite = Instant.now();
    private volatile Instant oldestWaiting;
    private volatile boolean running = true;
    private final Thread thread;
    private int failures;

    /** @param ensurePartitions run when a row has no partition to go to (a clock far ahead, or maintenance late) */
    public ResultWriter(DataSource dataSource, Settings settings, Runnable ensurePartitions) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.ensurePartitions = ensurePartitions;
        this.thread = new Thread(this::run, "check-result-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues one slot's results (and its completion, if the results stand for a scheduled slot); never blocks. */
    public void submit(List<CheckResult> results, Completion completion) {
        synchronized (buffer) {
            if (buffer.isEmpty() && writing == 0) {
                oldestWaiting = Instant.now();
            }
            buffer.addLast(new Batch(results, completion));
            bufferedResults += results.size();
            while (bufferedResults > settings.bufferLimit() && buffer.size() > 1) {
                Batch oldest = buffer.removeFirst();
                bufferedResults -= oldest.size();
                long total = dropped.addAndGet(oldest.size());
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

    /** Results not written yet, including those being written right now. */
    public int buffered() {
        synchronized (buffer) {
            return bufferedResults + writing;
        }
    }

    /** Results dropped because the buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Results written since start. */
    public long written() {
        return written.get();
    }

    /** Results PostgreSQL refused: stored without their details, or dropped when even that failed. */
    public long unstorable() {
        return unstorable.get();
    }

    /** Results not written because another checker claimed their slot since (fenced by the lease epoch). */
    public long superseded() {
        return superseded.get();
    }

    /**
     * How long results have been waiting without any being written: zero while nothing waits or writes go through;
     * grows while the database is unreachable.
     */
    public Duration stalledFor() {
        synchronized (buffer) {
            if (bufferedResults + writing == 0) {
                return Duration.ZERO;
            }
        }
        Instant since = oldestWaiting == null || lastWrite.isAfter(oldestWaiting) ? lastWrite : oldestWaiting;
        return Duration.between(since, Instant.now());
    }

    /** Tries to write now, e.g. once the database is known to be back, instead of at the end of the retry back-off. */
    public void nudge() {
        synchronized (buffer) {
            buffer.notifyAll();
        }
    }

    /** Waits until everything queued so far is written, or the time is up. */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (buffer) {
            buffer.notifyAll();
        }
        while (System.nanoTime() < deadline) {
            if (buffered() == 0) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return buffered() == 0;
    }

    @Override
    public void close() {
        running = false;
        synchronized (buffer) {
            buffer.notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = buffered();
        if (left > 0) {
            LOG.errorf("stopping with %d check results not written (database unreachable)", left);
        }
    }

    private void run() {
        while (running) {
            List<Batch> batches = take();
            if (batches.isEmpty()) {
                continue;
            }
            try {
                write(batches);
                failures = 0;
                faults.recovered(buffered() + " results waiting");
            } catch (SQLException e) {
                failures++;
                faults.failed("cannot write (" + e.getMessage() + "); keeping up to " + settings.bufferLimit() + " results in memory");
                pause(Math.min(5000, 100L << Math.min(failures, 6)));
            }
        }
    }

    /**
     * Writes the batches, splitting any part that fails for its data; on any other error gives back what is not
     * written yet and throws.
     */
    private void write(List<Batch> batches) throws SQLException {
        Deque<List<Batch>> work = new ArrayDeque<>();
        work.push(batches);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            writeIsolating(c, work);
        } catch (SQLException e) {
            giveBack(work);
            throw e;
        }
    }

    private void writeIsolating(Connection c, Deque<List<Batch>> work) throws SQLException {
        boolean partitionsMade = false;
        while (!work.isEmpty()) {
            List<Batch> part = work.peek();
            SQLException refusal;
            try {
                commit(c, part);
                work.pop();
                accounted(part);
                continue;
            } catch (SQLException e) {
                if (!Sql.dataError(e)) {
                    throw e;
                }
                if (!partitionsMade && noPartition(e)) {
                    partitionsMade = true;
                    ensurePartitions.run(); // a row with no partition to go to: make them, then try again
                    continue;
                }
                refusal = e;
            } catch (RuntimeException e) {
                // not the database's doing, but just as much this data's: isolate it the same way
                refusal = new SQLException(String.valueOf(e), "XX000", e);
            }
            if (part.size() > 1) {
                work.pop();
                int half = part.size() / 2;
                work.push(part.subList(half, part.size()));
                work.push(part.subList(0, half));
            } else {
                setAside(c, part.get(0), refusal);
                work.pop();
                accounted(part);
            }
        }
    }

    /**
     * One slot PostgreSQL refuses: stored without its details, or at least its slot completed, or else dropped; counted
     * and logged either way. Throws only errors that are not about this data (the caller gives it back).
     */
    private void setAside(Connection c, Batch bad, SQLException cause) throws SQLException {
        unstorable.addAndGet(bad.size());
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
            outcome = ResultStore.write(c, part);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
        written.addAndGet(outcome.stored());
        superseded.addAndGet(outcome.superseded());
        lastWrite = Instant.now();
    }

    /** These batches are done with (written, set aside or dropped). */
    private void accounted(List<Batch> part) {
        int n = part.stream().mapToInt(Batch::size).sum();
        synchronized (buffer) {
            writing -= n;
        }
    }

    private static boolean noPartition(SQLException e) {
        return "23514".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("no partition");
    }

    private List<Batch> take() {
        synchronized (buffer) {
            if (bufferedResults < settings.batchSize() && running) {
                try {
                    buffer.wait(settings.flushInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            List<Batch> out = new ArrayList<>();
            int n = 0;
            while (!buffer.isEmpty() && n < settings.batchSize()) {
                Batch b = buffer.removeFirst();
                n += b.size();
                out.add(b);
            }
            bufferedResults -= n;
            writing += n;
            return out;
        }
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
