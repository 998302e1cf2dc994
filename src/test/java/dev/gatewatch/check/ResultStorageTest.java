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

    @Test
    void rollupPercentilesMatchTheJavaHistogram() throws Exception {
        String node = "rollup-" + UUID.randomUUID();
        long monitorId = 900_000_000L + (System.nanoTime() & 0xffff);
        int[] totals = {3, 5, 8, 13, 21, 34, 55, 89, 144, 233};
        int[] hist = new int[LatencyHistogram.BUCKETS];
        try (ResultWriter writer = new ResultWriter(dataSource, new ResultWriter.Settings(4, Duration.ofMillis(50), 1000), () -> { })) {
            Instant minute = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            for (int i = 0; i < totals.length; i++) {
                writer.submit(List.of(result(monitorId, node, minute.plusMillis(i), totals[i], true)), null);
                hist[LatencyHistogram.bucket(totals[i])]++;
            }
            writer.submit(List.of(result(monitorId, node, minute.plusMillis(20), 999, false)), null);
            assertTrue(writer.flush(Duration.ofSeconds(10)));
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select checks, failures, max_ms, p50_ms, p95_ms, ok_total_ms from check_rollup_minute where monitor_id = ?")) {
            ps.setLong(1, monitorId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(11, rs.getInt(1));
                assertEquals(1, rs.getInt(2));
                assertEquals(233, rs.getInt(3));
                assertEquals(LatencyHistogram.quantile(hist, 0.5, 233), rs.getInt(4));
                assertEquals(LatencyHistogram.quantile(hist, 0.95, 233), rs.getInt(5));
                assertEquals(605, rs.getLong(6));
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
        return single("select count(*) from check_result where checker_id = ?", node);
    }

    long distinctStarts(String node) throws Exception {
        return single("select count(distinct started_at) from check_result where checker_id = ?", node);
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
