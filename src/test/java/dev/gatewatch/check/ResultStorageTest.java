package dev.gatewatch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatewatch.check.store.LatencyHistogram;
import dev.gatewatch.check.store.ResultPartitions;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.support.DatabaseLogin;
import dev.gatewatch.support.TcpProxy;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The result writer against a database that goes away and comes back, and partition upkeep. */
@QuarkusTest
@TestProfile(CheckerProfile.class)
class ResultStorageTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DatabaseLogin db;

    @Test
    void resultsWaitOutAnOutageAndAreWrittenOnce() throws Exception {
        String node = "outage-" + UUID.randomUUID();
        try (TcpProxy proxy = new TcpProxy(db.port());
                ResultWriter writer = new ResultWriter(proxy.dataSource(db.url(), db.user(), db.password()), new ResultWriter.Settings(100, Duration.ofMillis(50), 1000), () -> { })) {
            submit(writer, node, 10);
            assertTrue(writer.flush(Duration.ofSeconds(10)));
            assertEquals(10, count(node));

            proxy.cut();
            submit(writer, node, 50);
            Thread.sleep(1500);
            assertEquals(50, writer.buffered(), "kept while the database is away");
            assertEquals(10, count(node));

            proxy.restore();
            assertTrue(writer.flush(Duration.ofSeconds(20)), "written after the database came back");
            assertEquals(60, count(node));
            assertEquals(60, distinctStarts(node), "each result stored once");
            assertEquals(0, writer.dropped());
        }
    }

    @Test
    void pastTheBoundTheOldestAreDroppedAndCounted() throws Exception {
        String node = "bound-" + UUID.randomUUID();
        try (TcpProxy proxy = new TcpProxy(db.port());
                ResultWriter writer = new ResultWriter(proxy.dataSource(db.url(), db.user(), db.password()), new ResultWriter.Settings(100, Duration.ofMillis(50), 20), () -> { })) {
            proxy.cut();
            submit(writer, node, 30);
            assertEquals(20, writer.buffered());
            assertEquals(10, writer.dropped());
            proxy.restore();
            assertTrue(writer.flush(Duration.ofSeconds(20)));
            assertEquals(20, count(node));
        }
    }

    @ParameterizedTest(name = "rollups written every {0} ms, {1} per batch")
    @CsvSource({"0, 4", "3600000, 4", "3600000, 100"})
    void rollupPercentilesMatchTheJavaHistogram(long rollupIntervalMs, int batchSize) throws Exception {
        String node = "rollup-" + UUID.randomUUID();
        long monitorId = 900_000_000L + (System.nanoTime() & 0xffff);
        int[] totals = {3, 5, 8, 13, 21, 34, 55, 89, 144, 233};
        int[] hist = new int[LatencyHistogram.BUCKETS];
        try (ResultWriter writer = new ResultWriter(dataSource, new ResultWriter.Settings(batchSize, Duration.ofMillis(50), 1000, 1,
                Duration.ofMillis(rollupIntervalMs), true), () -> { })) {
            Instant minute = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            for (int i = 0; i < totals.length; i++) {
                writer.submit(List.of(result(monitorId, node, minute.plusMillis(i), totals[i], true)), null);
                hist[LatencyHistogram.bucket(totals[i])]++;
            }
            writer.submit(List.of(result(monitorId, node, minute.plusMillis(20), 999, false)), null);
            for (long deadline = System.nanoTime() + 10_000_000_000L; writer.written() < 11 && System.nanoTime() < deadline; ) {
                Thread.sleep(10);
            }
            assertTrue(writer.flush(Duration.ofSeconds(10)));
        }
        // Hour and day rows merge histograms, so they are exact however the checks were split; a minute row is exact when it
        // was written whole (merged in memory), and keeps counts and maximum exact in any case.
        boolean whole = rollupIntervalMs > 0;
        for (String table : List.of("check_rollup_minute", "check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day")) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "select checks, failures, max_ms, p50_ms, p95_ms, ok_total_ms from " + table + " where monitor_id = ?")) {
                ps.setLong(1, monitorId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), table);
                    assertEquals(11, rs.getInt(1), table);
                    assertEquals(1, rs.getInt(2), table);
                    assertEquals(233, rs.getInt(3), table);
                    if (whole || !table.equals("check_rollup_minute")) {
                        assertEquals(LatencyHistogram.quantile(hist, 0.5, 233), rs.getInt(4), table);
                        assertEquals(LatencyHistogram.quantile(hist, 0.95, 233), rs.getInt(5), table);
                    }
                    assertEquals(605, rs.getLong(6), table);
                }
            }
        }
    }

    @Test
    void partitionsAreMadeAheadAndDroppedPastRetention() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop table if exists retention_probe");
            st.execute("create table retention_probe (started_at timestamptz not null) partition by range (started_at)");
        }
        var table = new ResultPartitions.Table("retention_probe", false, Duration.ofDays(2));
        var partitions = new ResultPartitions(dataSource, List.of(table), 3);
        Instant day = LocalDate.of(2026, 3, 10).atStartOfDay(ZoneOffset.UTC).toInstant();
        partitions.maintain(day);
        try (Connection c = dataSource.getConnection()) {
            assertEquals(List.of("retention_probe_p20260309", "retention_probe_p20260310", "retention_probe_p20260311",
                    "retention_probe_p20260312", "retention_probe_p20260313"), partitions.partitions(c, table));
        }
        partitions.maintain(day.plus(Duration.ofDays(3)));
        try (Connection c = dataSource.getConnection()) {
            assertEquals(List.of("retention_probe_p20260311", "retention_probe_p20260312", "retention_probe_p20260313",
                    "retention_probe_p20260314", "retention_probe_p20260315", "retention_probe_p20260316"), partitions.partitions(c, table));
        }
    }

    /**
     * Two writers (two checkers of one region, or the regions of one monitor) flushing into the same hour and day rows at
     * once: a row one of them read to merge in Java and the other changed before the update goes through the additive
     * upsert instead, so nothing is lost or counted twice and the percentiles are those of every check.
     */
    @Test
    void twoWritersMergingIntoTheSameHourAndDayRowsLoseNothing() throws Exception {
        String node = "race-" + UUID.randomUUID();
        long monitorId = 920_000_000L + (System.nanoTime() & 0xffff);
        Instant minute = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        int perWriter = 60;
        int[] hist = new int[LatencyHistogram.BUCKETS];
        try (ResultWriter a = new ResultWriter(dataSource, new ResultWriter.Settings(1, Duration.ofMillis(1), 1000, 1, Duration.ZERO, false), () -> { });
                ResultWriter b = new ResultWriter(dataSource, new ResultWriter.Settings(1, Duration.ofMillis(1), 1000, 1, Duration.ZERO, false), () -> { })) {
            List<Thread> threads = new java.util.ArrayList<>();
            for (ResultWriter w : List.of(a, b)) {
                int offset = w == a ? 0 : perWriter;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        int n = offset + i;
                        w.submit(List.of(result(monitorId, node, minute.plusMillis(n), 5 + n * 7, n % 10 != 0)), null);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (int n = 0; n < 2 * perWriter; n++) {
                if (n % 10 != 0) {
                    hist[LatencyHistogram.bucket(5 + n * 7)]++;
                }
            }
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(a.flush(Duration.ofSeconds(20)));
            assertTrue(b.flush(Duration.ofSeconds(20)));
        }
        int max = 5 + (2 * perWriter - 1) * 7;
        for (String table : List.of("check_rollup_minute", "check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day")) {
            assertEquals(2 * perWriter, rollupChecks(table, monitorId), table);
            assertEquals(12, single("select coalesce(sum(failures), 0) from " + table + " where monitor_id = " + monitorId + " and ? <> ''", node), table);
            assertEquals(max, single("select max(max_ms) from " + table + " where monitor_id = " + monitorId + " and ? <> ''", node), table);
            if (!table.equals("check_rollup_minute")) {
                assertEquals((long) LatencyHistogram.quantile(hist, 0.5, max), single("select p50_ms from " + table + " where monitor_id = "
                        + monitorId + " and ? <> ''", node), table);
                assertEquals((long) LatencyHistogram.quantile(hist, 0.95, max), single("select p95_ms from " + table + " where monitor_id = "
                        + monitorId + " and ? <> ''", node), table);
                assertEquals(108, single("select (select sum(x) from unnest(hist) x) from " + table + " where monitor_id = " + monitorId
                        + " and ? <> ''", node), table + ": every successful check in the histogram");
            }
        }
    }

    @Test
    void rollupsMergedInMemoryWaitForTheirIntervalAndLoseNothing() throws Exception {
        String node = "merged-" + UUID.randomUUID();
        long a = 910_000_000L + (System.nanoTime() & 0xffff) * 2;
        long b = a + 1;
        Instant minute = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        try (ResultWriter writer = new ResultWriter(dataSource,
                new ResultWriter.Settings(10, Duration.ofMillis(20), 1000, 2, Duration.ofHours(1), false), () -> { })) {
            for (int i = 0; i < 30; i++) {
                writer.submit(List.of(result(i % 2 == 0 ? a : b, node, minute.plusMillis(i), 10 + i, i % 5 != 0)), null);
            }
            for (long deadline = System.nanoTime() + 10_000_000_000L; writer.written() < 30 && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
            }
            assertEquals(30, count(node), "the raw results are written at once, on two lanes");
            assertEquals(0, rollupChecks("check_rollup_minute", a) + rollupChecks("check_rollup_minute", b),
                    "their rollups are merged in memory until the interval is up");
            assertTrue(writer.flush(Duration.ofSeconds(10)), "a flush writes them");
        }
        for (String table : List.of("check_rollup_minute", "check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day")) {
            assertEquals(15, rollupChecks(table, a), table);
            assertEquals(15, rollupChecks(table, b), table);
            assertEquals(3, single("select coalesce(sum(failures), 0) from " + table + " where monitor_id = " + a + " and ? <> ''", node), table);
        }
    }

    @Test
    void closingWithTheDatabaseAwayCountsTheResultsLost() throws Exception {
        String node = "lost-" + UUID.randomUUID();
        try (TcpProxy proxy = new TcpProxy(db.port())) {
            ResultWriter writer = new ResultWriter(proxy.dataSource(db.url(), db.user(), db.password()),
                    new ResultWriter.Settings(100, Duration.ofMillis(50), 1000), () -> { });
            proxy.cut();
            submit(writer, node, 7);
            writer.close();
            assertEquals(7, writer.unwritten());
            submit(writer, node, 1);
            assertEquals(8, writer.unwritten(), "handed in after close: counted, not kept");
        }
        assertEquals(0, count(node));
    }

    @Test
    void textFromTargetsSurvivesTheCopyFormat() throws Exception {
        String node = "copy-" + UUID.randomUUID();
        String nasty = "tab\there\nnew line\r\\N back\\slash \u0000 nul \u00fc \u2713 \"quoted\" {json}";
        String stored = nasty.replace('\u0000', '\uFFFD');
        Instant now = Instant.now();
        CheckResult r = new CheckResult(1, "storage", "system", node, now, now, false, 502, ErrorClass.ASSERTION_FAILED, nasty,
                new Timings(1, 1, null, 2, 0, 5), "127.0.0.1", 1, "http://127.0.0.1/" + nasty, 2, null, nasty, null,
                List.of(nasty, "second"));
        try (ResultWriter writer = new ResultWriter(dataSource, new ResultWriter.Settings(100, Duration.ofMillis(20), 1000), () -> { })) {
            writer.submit(List.of(r), null);
            assertTrue(writer.flush(Duration.ofSeconds(10)));
            assertEquals(0, writer.unstorable());
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select error_message, error_body, final_url, assertion_failures->>0, assertion_failures->>1, replaced_chars, status
                from check_result_full where checker_id = ?""")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(stored, rs.getString(1));
                assertEquals(stored, rs.getString(2));
                assertEquals("http://127.0.0.1/" + stored, rs.getString(3));
                assertEquals(stored, rs.getString(4));
                assertEquals("second", rs.getString(5));
                assertEquals(4, rs.getInt(6), "one NUL in each of four texts");
                assertEquals(502, rs.getInt(7));
            }
        }
    }

    long rollupChecks(String table, long monitorId) throws Exception {
        return single("select coalesce(sum(checks), 0) from " + table + " where monitor_id = " + monitorId + " and ? <> ''", "x");
    }


    @Test
    void resultsNameTheirCheckerAndResolverByOneKeyEachAndTheViewSpellsThemOut() throws Exception {
        String node = "labels-" + UUID.randomUUID();
        String resolver = "127.0.0.9:" + (10000 + (int) (Math.random() * 50000));
        Instant now = Instant.now();
        CheckResult redirected = new CheckResult(1, "storage", resolver, node, now, now.plusMillis(1), true, 200, null, null,
                new Timings(1, 1, null, 2, 0, 5), "127.0.0.1", 2, "http://127.0.0.1/landed", 2, null, null, null, List.of());
        // Two writers, as two processes would be: each has its own cache and both add the same new keys.
        try (ResultWriter a = new ResultWriter(dataSource, new ResultWriter.Settings(100, Duration.ofMillis(20), 1000), () -> { });
                ResultWriter b = new ResultWriter(dataSource, new ResultWriter.Settings(100, Duration.ofMillis(20), 1000, 2,
                        Duration.ZERO, true), () -> { })) {
            for (int i = 0; i < 20; i++) {
                (i % 2 == 0 ? a : b).submit(List.of(result(1, node, now.plusMillis(10 + i), 10, true)), null);
            }
            a.submit(List.of(redirected), null);
            assertTrue(a.flush(Duration.ofSeconds(10)));
            assertTrue(b.flush(Duration.ofSeconds(10)));
        }
        assertEquals(1, single("select count(*) from result_checker where checker_id = ?", node), "one key for the checker");
        assertEquals(1, single("select count(*) from result_resolver where resolver = ?", resolver), "one key for the resolver");
        assertEquals(21, count(node));
        assertEquals(20, single("select count(*) from check_result_full where checker_id = ? and region = 'storage' and resolver = 'system'"
                + " and final_url is null", node), "no final URL without a redirect");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select region, resolver, final_url, redirects from check_result_full where checker_id = ? and redirects > 0")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("storage", rs.getString(1));
                assertEquals(resolver, rs.getString(2));
                assertEquals("http://127.0.0.1/landed", rs.getString(3));
                assertEquals(2, rs.getInt(4));
            }
        }
    }

    static void submit(ResultWriter writer, String node, int n) {
        Instant base = Instant.now();
        for (int i = 0; i < n; i++) {
            writer.submit(List.of(result(1, node, base.plusMillis(i), 10, true)), null);
        }
    }

    static CheckResult result(long monitorId, String node, Instant started, int totalMs, boolean ok) {
        return new CheckResult(monitorId, "storage", "system", node, started, started, ok, ok ? 200 : null,
                ok ? null : ErrorClass.CONNECT_REFUSED, null, new Timings(null, 1, null, 2, 0, totalMs), "127.0.0.1", 0,
                "http://127.0.0.1/", 2, null, null, null, List.of());
    }

    long count(String node) throws Exception {
        return single("select count(*) from check_result_full where checker_id = ?", node);
    }

    long distinctStarts(String node) throws Exception {
        return single("select count(distinct started_at) from check_result_full where checker_id = ?", node);
    }

    long single(String sql, String node) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
