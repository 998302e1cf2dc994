package dev.gatewatch.check.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.Timings;
import dev.gatewatch.check.store.RollupBuffer.Row;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** A rollup flush against PostgreSQL when another writer changes the same hour row between its read and its update. */
@QuarkusTest
class RollupStoreTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aRowChangedBetweenTheReadAndTheUpdateIsMergedByAdditionNotOverwritten() throws Exception {
        long monitor = 930_000_000L + (System.nanoTime() & 0xffff);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        // three writers' worth of checks, each in a minute of its own, so only the hour and day rows are shared
        List<Row> first = rows(monitor, hour, 10, 20, 30);
        List<Row> held = rows(monitor, hour.plus(1, ChronoUnit.MINUTES), 40, 50);
        List<Row> late = rows(monitor, hour.plus(2, ChronoUnit.MINUTES), 60, 70, 80, 90);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            RollupStore.write(c, first);
            c.commit();
        }
        try (Connection b = dataSource.getConnection(); Connection a = dataSource.getConnection()) {
            b.setAutoCommit(false);
            RollupStore.write(b, held); // holds the hour row, updated, until it commits
            a.setAutoCommit(false);
            long pid = backend(a);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    RollupStore.write(a, late); // reads the committed row, then waits for b's lock to update it
                    a.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Sql.number(dataSource, "select count(*) from pg_stat_activity where pid = ? and wait_event_type = 'Lock'", pid) == 0) {
                assertTrue(System.nanoTime() < deadline, "the second writer never waited for the first one's row");
                Thread.sleep(20);
            }
            b.commit();
            writing.get(10, TimeUnit.SECONDS);
        }
        int[] hist = new int[LatencyHistogram.BUCKETS];
        for (int ms = 10; ms <= 90; ms += 10) {
            hist[LatencyHistogram.bucket(ms)]++;
        }
        for (String table : List.of("check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day")) {
            String where = " from " + table + " where monitor_id = ?";
            assertEquals(9, Sql.number(dataSource, "select checks" + where, monitor), table + ": all three flushes, none twice");
            assertEquals(450, Sql.number(dataSource, "select ok_total_ms" + where, monitor), table);
            assertEquals(90, Sql.number(dataSource, "select max_ms" + where, monitor), table);
            assertEquals((long) LatencyHistogram.quantile(hist, 0.5, 90), Sql.number(dataSource, "select p50_ms" + where, monitor), table);
            assertEquals((long) LatencyHistogram.quantile(hist, 0.95, 90), Sql.number(dataSource, "select p95_ms" + where, monitor), table);
        }
        assertEquals(3, Sql.number(dataSource, "select count(*) from check_rollup_minute where monitor_id = ?", monitor));
        for (String table : List.of("check_rollup_minute", "check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day")) {
            Sql.update(dataSource, "delete from " + table + " where monitor_id = ?", monitor);
        }
    }

    @Test
    void rewritingEveryHourAndDayRowOfAPageKeepsEachUpdateOnItsPage() throws Exception {
        long first = 931_000_000L + (System.nanoTime() & 0xffff) * 1000;
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<Row> flush = new ArrayList<>();
        List<Row> next = new ArrayList<>();
        for (int m = 0; m < 300; m++) {
            flush.addAll(rows(first + m, hour, 10, 20));
            next.addAll(rows(first + m, hour.plus(1, ChronoUnit.MINUTES), 30));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            RollupStore.write(c, flush); // the hour's first flush inserts the rows, packed to the fillfactor
            c.commit();
            RollupStore.write(c, next); // the next rewrites every one of them
            for (String table : List.of("check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day")) {
                String partition = "(select tableoid from " + table + " where monitor_id = ? limit 1)";
                assertEquals(300, number(c, "select pg_stat_get_xact_tuples_updated(" + partition + ")", first), table);
                // at V18's fillfactor 70 about 40 % of these left their page (a new index entry each, and bloat)
                assertEquals(300, number(c, "select pg_stat_get_xact_tuples_hot_updated(" + partition + ")", first),
                        table + ": every update stays on its page");
            }
            c.rollback();
        }
        for (String table : List.of("check_rollup_minute", "check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day")) {
            Sql.update(dataSource, "delete from " + table + " where monitor_id between ? and ?", first, first + 299);
        }
    }

    @Test
    void anHourRowWithAllSixtyCountersMergesWithTheShorterOnesWrittenNow() throws Exception {
        long monitor = 932_000_000L + (System.nanoTime() & 0xffff);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        // as an earlier version stored it: 60 counters, here two checks of ~1 s (bucket 31)
        Sql.update(dataSource, """
                insert into check_rollup_hour (monitor_id, bucket, region, resolver, checks, failures, ok_total_ms, max_ms, p50_ms, p95_ms, hist)
                values (?, ?, 'storage', 'system', 2, 0, 2000, 1000, 1000, 1000, array_fill(0, array[31]) || 2 || array_fill(0, array[28]))
                """, monitor, Sql.at(hour));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            RollupStore.write(c, rows(monitor, hour, 1, 1, 1, 1, 1, 1)); // six fast checks: one counter stored
            c.commit();
        }
        String where = " from check_rollup_hour where monitor_id = " + monitor;
        assertEquals(8, Sql.number(dataSource, "select checks" + where));
        assertEquals(8, Sql.number(dataSource, "select (select sum(x) from unnest(hist) x)" + where), "no counter lost");
        assertEquals(6, Sql.number(dataSource, "select hist[1]" + where));
        assertEquals(2, Sql.number(dataSource, "select hist[32]" + where));
        int[] both = new int[LatencyHistogram.BUCKETS];
        both[0] = 6;
        both[31] = 2;
        assertEquals((long) LatencyHistogram.quantile(both, 0.5, 1000), Sql.number(dataSource, "select p50_ms" + where));
        assertEquals((long) LatencyHistogram.quantile(both, 0.95, 1000), Sql.number(dataSource, "select p95_ms" + where));
        for (String table : List.of("check_rollup_minute", "check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day")) {
            Sql.update(dataSource, "delete from " + table + " where monitor_id = ?", monitor);
        }
    }

    private static long number(Connection c, String sql, long param) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setLong(1, param);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long backend(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The minute rows of successful checks taking these times, as a writer lane drains them. */
    private static List<Row> rows(long monitor, Instant minute, int... totalMs) {
        RollupBuffer buffer = new RollupBuffer();
        for (int i = 0; i < totalMs.length; i++) {
            Instant t = minute.plusSeconds(i);
            buffer.add(List.of(new CheckResult(monitor, "storage", "system", "rollup-store", t, t, true, 200, null, null,
                    new Timings(null, 1, null, 2, 0, totalMs[i]), "127.0.0.1", 0, "http://127.0.0.1/", 2, null, null, null, List.of())));
        }
        return buffer.drain(null);
    }
}
