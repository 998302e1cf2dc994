package dev.gatewatch.check.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.schedule.Completion;

/**
 * Writes check results in batches, one transaction per batch ({@link ResultStore}), on {@code lanes} threads: each
 * monitor always goes to the same lane, so one stream's results are written in order while lanes write in parallel on
 * connections of their own. Rollups are merged in memory per stream and minute and written every {@code
 * rollupInterval} ({@link RollupStore}).
 * <p>
 * While the database is unreachable, results wait in a bounded buffer; past the bound the oldest are dropped, logged and
 * counted. A batch that PostgreSQL refuses for its data (SQLSTATE class 22 or 23) is split in halves, each written on
 * its own, down to the one slot at fault, which is stored without its details (or, failing that, dropped) and counted;
 * the rest never waits for it. On close everything held is written, or counted as lost and logged.
 */
public final class ResultWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);

    /**
     * @param lanes             writer threads (and connections while writing)
     * @param rollupInterval    how long rollups are merged in memory before they are written (zero: after every batch)
     * @param synchronousCommit false: commits return before their WAL reaches disk (a PostgreSQL crash can lose the
     *                          last moments of results together with their slots' completions, which are then checked
     *                          again)
     */
    public record Settings(int batchSize, Duration flushInterval, int bufferLimit, int lanes, Duration rollupInterval,
            boolean synchronousCommit) {

        public Settings {
            if (lanes < 1) {
                throw new IllegalArgumentException("lanes must be at least 1");
            }
        }

        /** One lane, rollups with every batch, durable commits: the plainest writer. */
        public Settings(int batchSize, Duration flushInterval, int bufferLimit) {
            this(batchSize, flushInterval, bufferLimit, 1, Duration.ZERO, true);
        }
    }

    /** What the lanes count together. */
    static final class Counts {
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong written = new AtomicLong();
        final AtomicLong unstorable = new AtomicLong();
        final AtomicLong superseded = new AtomicLong();
        final AtomicLong rollupsDropped = new AtomicLong();
        final AtomicLong unwritten = new AtomicLong();
    }

    private final List<WriterLane> lanes;
    private final Counts counts = new Counts();
    private volatile boolean closed;

    /** @param ensurePartitions run when a row has no partition to go to (a clock far ahead, or maintenance late) */
    public ResultWriter(DataSource dataSource, Settings settings, Runnable ensurePartitions) {
        List<WriterLane> made = new ArrayList<>();
        ResultLabels labels = new ResultLabels();
        for (int i = 0; i < settings.lanes(); i++) {
            made.add(new WriterLane(i, dataSource, settings, ensurePartitions, counts, labels));
        }
        this.lanes = List.copyOf(made);
    }

    /** Queues one slot's results (and its completion, if the results stand for a scheduled slot); never blocks. */
    public void submit(List<CheckResult> results, Completion completion) {
        long monitor = completion != null ? completion.monitorId() : results.isEmpty() ? 0 : results.get(0).monitorId();
        Batch batch = new Batch(results, completion);
        if (closed) {
            counts.unwritten.addAndGet(batch.size());
            return;
        }
        lanes.get((int) Math.floorMod(monitor, (long) lanes.size())).submit(batch);
    }

    /** Results not written yet, including those being written right now. */
    public int buffered() {
        return lanes.stream().mapToInt(WriterLane::buffered).sum();
    }

    /** Results dropped because the buffer was full. */
    public long dropped() {
        return counts.dropped.get();
    }

    /** Results written since start. */
    public long written() {
        return counts.written.get();
    }

    /** Results PostgreSQL refused: stored without their details, or dropped when even that failed. */
    public long unstorable() {
        return counts.unstorable.get();
    }

    /** Results not written because another checker claimed their slot since (fenced by the lease epoch). */
    public long superseded() {
        return counts.superseded.get();
    }

    /** Results lost at shutdown: still held when the writer stopped (the database unreachable), or handed in after. */
    public long unwritten() {
        return counts.unwritten.get();
    }

    /**
     * How long results have been waiting without any being written (the longest of the lanes): zero while nothing waits
     * or writes go through; grows while the database is unreachable.
     */
    public Duration stalledFor() {
        return lanes.stream().map(WriterLane::stalledFor).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Tries to write now, e.g. once the database is known to be back, instead of at the end of the retry back-off. */
    public void nudge() {
        lanes.forEach(l -> l.nudge(false));
    }

    /** Waits until everything queued so far is written, rollups included, or the time is up. */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lanes.forEach(l -> l.nudge(true));
        while (System.nanoTime() < deadline) {
            if (pending() == 0) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            lanes.forEach(l -> l.nudge(true));
        }
        return pending() == 0;
    }

    private int pending() {
        return lanes.stream().mapToInt(l -> l.buffered() + l.rollupsPending()).sum();
    }

    /** Writes what is held (giving up after a few seconds while the database is unreachable), then stops. */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        lanes.forEach(WriterLane::stop);
        for (WriterLane l : lanes) {
            l.await(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        }
        int left = buffered();
        counts.unwritten.addAndGet(left);
        int rollupsLeft = lanes.stream().mapToInt(WriterLane::rollupsPending).sum();
        String line = String.format("result writer closed: written=%d dropped=%d unstorable=%d superseded=%d unwritten=%d"
                + " rollups-unwritten=%d rollups-dropped=%d", written(), dropped(), unstorable(), superseded(), unwritten(),
                rollupsLeft, counts.rollupsDropped.get());
        if (left > 0 || rollupsLeft > 0) {
            LOG.errorf("%s (database unreachable: these results are lost)", line);
        } else {
            LOG.info(line);
        }
    }
}
