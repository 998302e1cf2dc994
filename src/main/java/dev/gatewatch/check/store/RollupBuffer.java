package dev.gatewatch.check.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.gatewatch.check.CheckResult;

/**
 * Stored results merged in memory per stream (monitor, region, resolver) and minute, so that the rollups cost one row
 * per stream and minute (and per stream, monitor, hour and day at each flush) instead of four upserts per check. Not
 * thread-safe: one writer lane owns one buffer.
 */
final class RollupBuffer {

    /** One rollup row: a key and what was merged into it. Region and resolver are empty for the per-monitor tables. */
    record Row(long monitorId, Instant bucket, String region, String resolver, Totals totals) {
    }

    /** The rollup tables, finest first, and how each is keyed. */
    enum Table {
        CHECK_MINUTE("check_rollup_minute", ChronoUnit.MINUTES, true),
        CHECK_HOUR("check_rollup_hour", ChronoUnit.HOURS, true),
        MONITOR_HOUR("monitor_rollup_hour", ChronoUnit.HOURS, false),
        MONITOR_DAY("monitor_rollup_day", ChronoUnit.DAYS, false);

        final String sqlName;
        final ChronoUnit unit;
        final boolean perStream;

        Table(String sqlName, ChronoUnit unit, boolean perStream) {
            this.sqlName = sqlName;
            this.unit = unit;
            this.perStream = perStream;
        }
    }

    /**
     * Counts and a latency histogram of successful checks; sums are exact, so totals merge in any order. The histogram
     * is kept sparse (a stream-minute holds one or two checks, a dense one would be 60 counters), as sorted cells of
     * {@code bucket << 24 | count}.
     */
    static final class Totals {
        private static final int[] NONE = new int[0];

        int checks;
        int failures;
        long okTotalMs;
        Integer maxMs;
        private int[] cells = NONE;

        /** Totals as stored in a rollup row, its histogram dense (null: none). */
        static Totals stored(int checks, int failures, long okTotalMs, Integer maxMs, Integer[] histogram) {
            Totals t = new Totals();
            t.checks = checks;
            t.failures = failures;
            t.okTotalMs = okTotalMs;
            t.maxMs = maxMs;
            if (histogram != null) {
                for (int i = 0; i < histogram.length; i++) {
                    if (histogram[i] != null && histogram[i] > 0) {
                        t.count(Math.min(i, LatencyHistogram.BUCKETS - 1), histogram[i]);
                    }
                }
            }
            return t;
        }

        void add(CheckResult r) {
            checks++;
            if (!r.ok()) {
                failures++;
                return;
            }
            int ms = r.timings().totalMs();
            okTotalMs += ms;
            maxMs = maxMs == null ? ms : Math.max(maxMs, ms);
            count(LatencyHistogram.bucket(ms), 1);
        }

        void add(Totals t) {
            checks += t.checks;
            failures += t.failures;
            okTotalMs += t.okTotalMs;
            maxMs = maxMs == null ? t.maxMs : t.maxMs == null ? maxMs : Integer.valueOf(Math.max(maxMs, t.maxMs));
            for (int cell : t.cells) {
                count(cell >>> 24, cell & 0xFFFFFF);
            }
        }

        /** The dense histogram, {@link LatencyHistogram#BUCKETS} counters. */
        int[] histogram() {
            int[] h = new int[LatencyHistogram.BUCKETS];
            for (int cell : cells) {
                h[cell >>> 24] += cell & 0xFFFFFF;
            }
            return h;
        }

        private void count(int bucket, int n) {
            int i = 0;
            while (i < cells.length && cells[i] >>> 24 < bucket) {
                i++;
            }
            if (i < cells.length && cells[i] >>> 24 == bucket) {
                cells[i] += n; // 24 bits: 16.7 million checks, a monitor-day at 1 s through 194 streams
                return;
            }
            int[] grown = new int[cells.length + 1];
            System.arraycopy(cells, 0, grown, 0, i);
            grown[i] = bucket << 24 | n;
            System.arraycopy(cells, i, grown, i + 1, cells.length - i);
            cells = grown;
        }
    }

    /** A rollup row's key; region and resolver are empty for the per-monitor tables. */
    record Key(long monitorId, Instant bucket, String region, String resolver) {
        static Key of(Row r) {
            return new Key(r.monitorId(), r.bucket(), r.region(), r.resolver());
        }
    }

    static final Comparator<Row> ORDER = Comparator.comparingLong(Row::monitorId).thenComparing(Row::bucket)
            .thenComparing(Row::region).thenComparing(Row::resolver);

    private final Map<Key, Totals> minutes = new HashMap<>();
    private int results;

    /** Merges stored results in. */
    void add(List<CheckResult> stored) {
        for (CheckResult r : stored) {
            minutes.computeIfAbsent(new Key(r.monitorId(), r.startedAt().truncatedTo(ChronoUnit.MINUTES), r.region(), r.resolver()),
                    k -> new Totals()).add(r);
        }
        results += stored.size();
    }

    boolean isEmpty() {
        return minutes.isEmpty();
    }

    /** Results merged in since the last drain. */
    int results() {
        return results;
    }

    /** Streams × minutes held. */
    int size() {
        return minutes.size();
    }

    /**
     * The rows of the minutes that began before {@code before} (everything when null), one per stream and minute,
     * sorted by key; they leave the buffer.
     */
    List<Row> drain(Instant before) {
        List<Row> rows = new ArrayList<>();
        for (var it = minutes.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Key k = e.getKey();
            if (before == null || k.bucket().isBefore(before)) {
                rows.add(new Row(k.monitorId(), k.bucket(), k.region(), k.resolver(), e.getValue()));
                results -= e.getValue().checks;
                it.remove();
            }
        }
        rows.sort(ORDER);
        return rows;
    }

    /** Puts drained rows back (the database was away or a write failed), merged with anything added since. */
    void restore(List<Row> drained) {
        for (Row row : drained) {
            minutes.computeIfAbsent(Key.of(row), k -> new Totals())
                    .add(row.totals());
            results += row.totals().checks;
        }
    }

    /**
     * The rows of every table that per-minute stream rows make: themselves, and merged per stream and hour, per monitor
     * and hour, per monitor and day; each list sorted by key, so concurrent writers lock rows in one order.
     */
    static Map<Table, List<Row>> tables(List<Row> minuteRows) {
        Map<Table, List<Row>> out = new EnumMap<>(Table.class);
        out.put(Table.CHECK_MINUTE, minuteRows);
        for (Table t : Table.values()) {
            if (t == Table.CHECK_MINUTE) {
                continue;
            }
            Map<Key, Totals> merged = new HashMap<>();
            for (Row r : minuteRows) {
                merged.computeIfAbsent(new Key(r.monitorId(), r.bucket().truncatedTo(t.unit), t.perStream ? r.region() : "",
                        t.perStream ? r.resolver() : ""), x -> new Totals()).add(r.totals());
            }
            List<Row> rows = new ArrayList<>(merged.size());
            merged.forEach((k, v) -> rows.add(new Row(k.monitorId(), k.bucket(), k.region(), k.resolver(), v)));
            rows.sort(ORDER);
            out.put(t, rows);
        }
        return out;
    }
}
