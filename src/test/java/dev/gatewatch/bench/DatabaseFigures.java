package dev.gatewatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads from PostgreSQL: the stored checks of a window, the database's growth, pg_stat_statements,
 * and the server log. The harness queries as its own role ({@link #HARNESS_ROLE}), so that its statements can be left
 * out of pg_stat_statements.
 */
final class DatabaseFigures {

    static final String HARNESS_ROLE = "bench_harness";
    private static final String STATEMENTS_SCHEMA = "bench_stats";

    private final Connection c;
    private boolean statements;

    DatabaseFigures(Connection c) {
        this.c = c;
    }

    /**
     * Checks stored between two samples (by id: the writer draws a batch's ids as its transaction begins, so this is what
     * reached the database in the window) and their start lag; {@code started}: those that started in the window.
     */
    record Stored(long checks, long failed, double lagP50, double lagP99, double lagMax, double totalP50, long started) {
    }

    record Failure(String errorClass, String message, long count) {
    }

    record Growth(String relation, String kind, long bytes) {
    }

    record TopStatement(long calls, double totalMs, double meanMs, long rows, String query) {
    }

    /**
     * The server log's ERROR/FATAL/PANIC lines grouped by message (digits as N), and apart from them the deadlocks,
     * grouped by the statement that was cancelled (the STATEMENT line PostgreSQL logs after the error).
     */
    record ServerLog(long deadlocks, Map<String, Long> deadlockStatements, Map<String, Long> errors) {
    }

    /** The harness's own login role (superuser: it resets and reads pg_stat_statements). */
    static void createHarnessRole(Connection admin) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("create role " + HARNESS_ROLE + " login superuser");
        }
    }

    /** Asks the server to load pg_stat_statements at its next start (the zonky binaries ship it in lib/ and share/extension/). */
    static void preloadStatements(Connection admin) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("alter system set shared_preload_libraries = 'pg_stat_statements'");
        }
    }

    /**
     * {@code create extension pg_stat_statements} (in a schema of its own, outside the one Flyway owns) when the server
     * preloads it; false when it does not, and the statement figures are skipped.
     */
    boolean enableStatements() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show shared_preload_libraries")) {
            rs.next();
            if (!rs.getString(1).contains("pg_stat_statements")) {
                return false;
            }
            st.execute("create schema if not exists " + STATEMENTS_SCHEMA);
            st.execute("create extension if not exists pg_stat_statements schema " + STATEMENTS_SCHEMA);
        }
        statements = true;
        return true;
    }

    boolean statementsEnabled() {
        return statements;
    }

    void resetStatements() throws SQLException {
        if (statements) {
            try (Statement st = c.createStatement()) {
                st.execute("select " + STATEMENTS_SCHEMA + ".pg_stat_statements_reset()");
            }
        }
    }

    /** The top statements by total execution time since the reset, the harness's own left out. */
    List<TopStatement> topStatements(int limit) throws SQLException {
        List<TopStatement> top = new ArrayList<>();
        if (!statements) {
            return top;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select calls, total_exec_time, mean_exec_time, rows, query from %s.pg_stat_statements
                where dbid = (select oid from pg_database where datname = current_database())
                  and userid <> (select oid from pg_roles where rolname = ?)
                order by total_exec_time desc limit ?
                """.formatted(STATEMENTS_SCHEMA))) {
            ps.setString(1, HARNESS_ROLE);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    top.add(new TopStatement(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4),
                            shorten(rs.getString(5), 110)));
                }
            }
        }
        return top;
    }

    /** Where the result id sequence stands: every result stored later has a larger id. */
    long resultMark() throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select case when is_called then last_value else 0 end from check_result_id_seq")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    Stored stored(Run.Sample from, Run.Sample to) throws SQLException {
        try (PreparedStatement ps = marks("""
                select count(*), count(*) filter (where not ok),
                       coalesce(percentile_cont(0.5) within group (order by extract(epoch from started_at - due_at) * 1000), 0),
                       coalesce(percentile_cont(0.99) within group (order by extract(epoch from started_at - due_at) * 1000), 0),
                       coalesce(max(extract(epoch from started_at - due_at) * 1000), 0),
                       coalesce(percentile_cont(0.5) within group (order by total_ms), 0),
                       count(*) filter (where started_at >= ? and started_at < ?)
                from check_result where id > ? and id <= ?
                """, true, from, to); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Stored(rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getLong(7));
        }
    }

    /** Failed checks of the window by error class and the start of their message (digits as N, so ports and ids fold). */
    List<Failure> failures(Run.Sample from, Run.Sample to, int limit) throws SQLException {
        List<Failure> failures = new ArrayList<>();
        try (PreparedStatement ps = marks("""
                select coalesce(error_class, '-'), left(regexp_replace(coalesce(error_message, ''), '[0-9]+', 'N', 'g'), 80) cause, count(*)
                from check_result where id > ? and id <= ? and not ok
                group by 1, 2 order by 3 desc limit %d
                """.formatted(limit), false, from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                failures.add(new Failure(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return failures;
    }

    /** Incidents written in the window (opened, or their evidence updated) by track, kind and status: a healthy run has none. */
    List<Failure> incidents(Run.Sample from, Run.Sample to) throws SQLException {
        List<Failure> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select track || ' ' || kind, status || case when started_at >= ? then ', opened in the window' else ', opened before' end, count(*)
                from incident where updated_at >= ? and updated_at < ?
                group by 1, 2 order by 3 desc
                """)) {
            ps.setObject(1, OffsetDateTime.ofInstant(from.at(), ZoneOffset.UTC));
            ps.setObject(2, OffsetDateTime.ofInstant(from.at(), ZoneOffset.UTC));
            ps.setObject(3, OffsetDateTime.ofInstant(to.at(), ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Failure(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /** How many monitors the analyzer holds in each phase now. */
    Map<String, Long> phases() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select phase, count(*) from analysis_state group by 1 order by 2 desc")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * Waits until a rollup flush has written the minute rows of a minute that began at or after {@code since} (so one
     * flush after it is in); how long it waited beyond the call, or at most {@code limit}.
     */
    Duration awaitRollupFlush(Instant since, Duration limit) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement(
                "select exists (select 1 from check_rollup_minute where bucket >= date_trunc('minute', ?::timestamptz))")) {
            ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            while (System.nanoTime() - start < limit.toNanos()) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        break;
                    }
                }
                Thread.sleep(500);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start).truncatedTo(ChronoUnit.SECONDS);
    }

    long databaseBytes() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Bytes per relation: tables with their TOAST (pg_table_size), and indexes on their own, so that the lines add up; a
     * partition's bytes are counted under the partitioned table (or index) at the root of its tree.
     */
    Map<String, Growth> relationBytes() throws SQLException {
        Map<String, Growth> sizes = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                select coalesce(pg_partition_root(c.oid), c.oid)::regclass::text,
                       case when c.relkind in ('i', 'I') then 'index' else 'table' end,
                       sum(case when c.relkind in ('i', 'I') then pg_relation_size(c.oid) else pg_table_size(c.oid) end)
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and c.relkind in ('r', 'p', 'm', 'i', 'I')
                group by 1, 2
                """)) {
            while (rs.next()) {
                sizes.put(rs.getString(1) + " " + rs.getString(2), new Growth(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return sizes;
    }

    /** The relations that grew most between two {@link #relationBytes()} snapshots. */
    static List<Growth> grewMost(Map<String, Growth> before, Map<String, Growth> after, int limit) {
        return after.entrySet().stream()
                .map(e -> new Growth(e.getValue().relation(), e.getValue().kind(),
                        e.getValue().bytes() - (before.containsKey(e.getKey()) ? before.get(e.getKey()).bytes() : 0)))
                .filter(g -> g.bytes() != 0)
                .sorted((a, b) -> Long.compare(b.bytes(), a.bytes()))
                .limit(limit).toList();
    }

    /** Monitors with results the analyzer has not judged yet, and the age in seconds of the oldest such result (since its check ended). */
    double[] analyzerBacklog() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                select count(distinct l.monitor_id), coalesce(extract(epoch from now() - min(l.started_at + l.total_ms * interval '1 millisecond')), 0)
                from check_latest l join analysis_state a on a.monitor_id = l.monitor_id
                where l.result_id > a.last_result_id
                """)) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    private static final Pattern ERROR = Pattern.compile("\\b(?:ERROR|FATAL|PANIC):\\s+(.*)");
    private static final Pattern STATEMENT = Pattern.compile("\\bSTATEMENT:\\s+(.*)");

    /** The server log since the server started. */
    static ServerLog serverLog(Path log) throws IOException {
        long deadlocks = 0;
        Map<String, Long> deadlockStatements = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        List<String> lines = Files.readAllLines(log);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = ERROR.matcher(line);
            if (line.contains("deadlock detected")) {
                deadlocks++;
                String statement = "(no STATEMENT line)";
                // after the DETAIL, which quotes every process's whole statement, PostgreSQL logs the cancelled one's first line
                for (int j = i + 1; j < Math.min(lines.size(), i + 200) && !ERROR.matcher(lines.get(j)).find(); j++) {
                    Matcher s = STATEMENT.matcher(lines.get(j));
                    if (s.find()) {
                        statement = shorten(s.group(1), 100);
                        break;
                    }
                }
                deadlockStatements.merge(statement, 1L, Long::sum);
            } else if (m.find()) {
                errors.merge(shorten(m.group(1).replaceAll("[0-9]+", "N"), 100), 1L, Long::sum);
            }
        }
        return new ServerLog(deadlocks, byCount(deadlockStatements), byCount(errors));
    }

    private static Map<String, Long> byCount(Map<String, Long> counts) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * {@code sql} with its parameters: the window's start and end times (when {@code times}), then its start
     * and end result marks.
     */
    private PreparedStatement marks(String sql, boolean times, Run.Sample from, Run.Sample to) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        int i = 1;
        if (times) {
            ps.setObject(i++, OffsetDateTime.ofInstant(from.at(), ZoneOffset.UTC));
            ps.setObject(i++, OffsetDateTime.ofInstant(to.at(), ZoneOffset.UTC));
        }
        ps.setLong(i++, from.resultMark());
        ps.setLong(i, to.resultMark());
        return ps;
    }

    static String shorten(String text, int max) {
        String one = text.replaceAll("\\s+", " ").trim();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
