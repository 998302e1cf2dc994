package dev.gatewatch.check.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.schedule.Completion;

/**
 * Writes check results in batches: one transaction per batch stores the raw rows, the latest-result rows, the minute
 * and hour rollups and advances the slots the results complete. While the database is unreachable, results wait in a
 * bounded buffer; past the bound the oldest are dropped, logged and counted.
 */
public final class ResultWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Results of one slot, written together with the slot's completion. */
    private record Batch(List<CheckResult> results, Completion completion) {
    }

    public record Settings(int batchSize, Duration flushInterval, int bufferLimit) {
    }

    private static final String INSERT = """
            with ins as (
                insert into check_result (monitor_id, region, resolver, checker_id, due_at, started_at, ok, status,
                    error_class, error_message, dns_ms, connect_ms, tls_ms, ttfb_ms, download_ms, total_ms, resolved_ip,
                    redirects, final_url, body_bytes, server, cdn_provider, cdn_pop, cdn_request_id, error_source,
                    error_generator, error_body, tls_expires_at, assertion_failures)
                select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                    ?::boolean[], ?::smallint[], ?::text[], ?::text[], ?::integer[], ?::integer[], ?::integer[],
                    ?::integer[], ?::integer[], ?::integer[], ?::text[], ?::smallint[], ?::text[], ?::integer[], ?::text[],
                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::jsonb[])
                returning id, monitor_id, region, resolver, started_at, ok, status, error_class, total_ms, resolved_ip, cdn_pop),
            newest as (
                select distinct on (monitor_id, region, resolver) * from ins
                order by monitor_id, region, resolver, started_at desc)
            insert into check_latest (monitor_id, region, resolver, result_id, started_at, ok, status, error_class,
                total_ms, resolved_ip, cdn_pop)
            select n.monitor_id, n.region, n.resolver, n.id, n.started_at, n.ok, n.status, n.error_class, n.total_ms,
                n.resolved_ip, n.cdn_pop
            from newest n where exists (select 1 from monitor m where m.id = n.monitor_id)
            on conflict (monitor_id, region, resolver) do update set result_id = excluded.result_id,
                started_at = excluded.started_at, ok = excluded.ok, status = excluded.status,
                error_class = excluded.error_class, total_ms = excluded.total_ms, resolved_ip = excluded.resolved_ip,
                cdn_pop = excluded.cdn_pop
            where check_latest.started_at <= excluded.started_at
            """;

    /** Merges a batch into a rollup table; {@code %s} is the table, {@code %s} its key columns beyond monitor and bucket. */
    private static final String ROLLUP = """
            insert into %s as r (monitor_id, bucket%s, checks, failures, ok_total_ms, max_ms, p50_ms, p95_ms, hist)
            select m, b%s, c, f, s, mx, gw_hist_quantile(h::integer[], 0.5, mx), gw_hist_quantile(h::integer[], 0.95, mx),
                h::integer[]
            from unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::integer[], ?::integer[], ?::bigint[],
                ?::integer[], ?::text[]) as t(m, b, rg, rs, c, f, s, mx, h)
            on conflict (monitor_id, bucket%s) do update set checks = r.checks + excluded.checks,
                failures = r.failures + excluded.failures, ok_total_ms = r.ok_total_ms + excluded.ok_total_ms,
                max_ms = greatest(r.max_ms, excluded.max_ms), hist = gw_hist_add(r.hist, excluded.hist),
                p50_ms = gw_hist_quantile(gw_hist_add(r.hist, excluded.hist), 0.5, greatest(r.max_ms, excluded.max_ms)),
                p95_ms = gw_hist_quantile(gw_hist_add(r.hist, excluded.hist), 0.95, greatest(r.max_ms, excluded.max_ms))
            """;

    /** The rollups every batch is merged into: per (region, resolver) stream, and per monitor for the dashboard. */
    private record Rollup(String table, ChronoUnit unit, boolean perStream) {
        String sql() {
            String key = perStream ? ", region, resolver" : "";
            return ROLLUP.formatted(table, key, perStream ? ", rg, rs" : "", key);
        }
    }

    private static final List<Rollup> ROLLUPS = List.of(new Rollup("check_rollup_minute", ChronoUnit.MINUTES, true),
            new Rollup("check_rollup_hour", ChronoUnit.HOURS, true), new Rollup("monitor_rollup_hour", ChronoUnit.HOURS, false),
            new Rollup("monitor_rollup_day", ChronoUnit.DAYS, false));

    private static final String COMPLETE = """
            update check_schedule s set leased_until = null, leased_by = null,
                next_due_at = case when s.fast_until > now() then least(t.next, now() + s.fast_every_ms * interval '1 millisecond')
                                   else t.next end
            from unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::text[]) as t(m, rg, next, node)
            where s.monitor_id = t.m and s.region = t.rg and s.leased_by = t.node
            """;

    private final DataSource dataSource;
    private final Settings settings;
    private final Runnable ensurePartitions;
    private final Deque<Batch> buffer = new ArrayDeque<>();
    private int bufferedResults;
    private int writing;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
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
            buffer.addLast(new Batch(results, completion));
            bufferedResults += results.size();
            while (bufferedResults > settings.bufferLimit() && buffer.size() > 1) {
                Batch oldest = buffer.removeFirst();
                bufferedResults -= oldest.results().size();
                long total = dropped.addAndGet(oldest.results().size());
                if (total == oldest.results().size() || total % 1000 < oldest.results().size()) {
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
            int n = batches.stream().mapToInt(b -> b.results().size()).sum();
            try {
                write(batches);
                written.addAndGet(n);
                done(n);
                if (failures > 0) {
                    LOG.infof("result writer reaches the database again; %d results waiting", buffered());
                }
                failures = 0;
            } catch (SQLException e) {
                giveBack(batches);
                if ("23514".equals(e.getSQLState())) {
                    ensurePartitions.run(); // no partition for a row: make it, then retry
                }
                if (failures++ == 0) {
                    LOG.warnf("result writer cannot write (%s); keeping up to %d results in memory", e.getMessage(), settings.bufferLimit());
                }
                pause(Math.min(5000, 100L << Math.min(failures, 6)));
            } catch (RuntimeException e) {
                // not the database's fault: keeping the batch would block every later one, so drop it loudly
                dropped.addAndGet(n);
                done(n);
                LOG.errorf(e, "dropped %d check results that cannot be written", n);
            }
        }
    }

    private void done(int n) {
        synchronized (buffer) {
            writing -= n;
        }
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
                n += b.results().size();
                out.add(b);
            }
            bufferedResults -= n;
            writing += n;
            return out;
        }
    }

    private void giveBack(List<Batch> batches) {
        synchronized (buffer) {
            for (int i = batches.size() - 1; i >= 0; i--) {
                buffer.addFirst(batches.get(i));
                bufferedResults += batches.get(i).results().size();
                writing -= batches.get(i).results().size();
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

    private void write(List<Batch> batches) throws SQLException {
        List<CheckResult> results = new ArrayList<>();
        List<Completion> completions = new ArrayList<>();
        for (Batch b : batches) {
            results.addAll(b.results());
            if (b.completion() != null) {
                completions.add(b.completion());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertResults(c, results);
                for (Rollup r : ROLLUPS) {
                    rollup(c, r, results);
                }
                complete(c, completions);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void insertResults(Connection c, List<CheckResult> rs) throws SQLException {
        int n = rs.size();
        Object[][] cols = new Object[29][n];
        for (int i = 0; i < n; i++) {
            CheckResult r = rs.get(i);
            var t = r.timings();
            var e = r.edge();
            Object[] row = {r.monitorId(), r.region(), r.resolver(), r.checkerId(), r.dueAt().toString(),
                    r.startedAt().toString(), r.ok(), r.status() == null ? null : r.status().shortValue(),
                    r.errorClass() == null ? null : r.errorClass().code(), r.errorMessage(), t.dnsMs(), t.connectMs(),
                    t.tlsMs(), t.ttfbMs(), t.downloadMs(), t.totalMs(), r.resolvedIp(), (short) r.redirects(), r.finalUrl(),
                    r.bodyBytes(), e == null ? null : e.server(), e == null ? null : e.provider(), e == null ? null : e.pop(),
                    e == null ? null : e.requestId(), e == null || r.status() == null || r.status() < 400 ? null : e.errorSource().code(),
                    e == null ? null : e.generator(), r.errorBody(),
                    r.tlsExpiresAt() == null ? null : r.tlsExpiresAt().toString(),
                    r.assertionFailures() == null || r.assertionFailures().isEmpty() ? null : json(r.assertionFailures())};
            for (int col = 0; col < row.length; col++) {
                cols[col][i] = row[col] instanceof String s ? clean(s) : row[col];
            }
        }
        String[] types = {"bigint", "text", "text", "text", "text", "text", "boolean", "smallint", "text", "text", "integer",
                "integer", "integer", "integer", "integer", "integer", "text", "smallint", "text", "integer", "text", "text",
                "text", "text", "text", "text", "text", "text", "text"};
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int col = 0; col < cols.length; col++) {
                ps.setArray(col + 1, array(c, types[col], cols[col]));
            }
            ps.execute();
        }
    }

    /** One row per key of the rollup in the batch (sorted, so concurrent writers lock rows in one order), merged in. */
    private static void rollup(Connection c, Rollup rollup, List<CheckResult> results) throws SQLException {
        record Key(long monitorId, Instant bucket, String region, String resolver) {
        }
        final class Agg {
            int checks;
            int failures;
            long okTotal;
            Integer max;
            final int[] hist = new int[LatencyHistogram.BUCKETS];
        }
        Map<Key, Agg> aggs = new TreeMap<>(Comparator.comparingLong(Key::monitorId).thenComparing(Key::bucket)
                .thenComparing(Key::region).thenComparing(Key::resolver));
        for (CheckResult r : results) {
            Agg a = aggs.computeIfAbsent(rollup.perStream()
                    ? new Key(r.monitorId(), r.startedAt().truncatedTo(rollup.unit()), r.region(), r.resolver())
                    : new Key(r.monitorId(), r.startedAt().truncatedTo(rollup.unit()), "", ""), k -> new Agg());
            a.checks++;
            if (!r.ok()) {
                a.failures++;
                continue;
            }
            int ms = r.timings().totalMs();
            a.okTotal += ms;
            a.max = a.max == null ? ms : Math.max(a.max, ms);
            a.hist[LatencyHistogram.bucket(ms)]++;
        }
        int n = aggs.size();
        Object[][] cols = new Object[9][n];
        int i = 0;
        for (var e : aggs.entrySet()) {
            Key k = e.getKey();
            Agg a = e.getValue();
            Object[] row = {k.monitorId(), k.bucket().toString(), k.region(), k.resolver(), a.checks, a.failures, a.okTotal,
                    a.max, LatencyHistogram.literal(a.hist)};
            for (int col = 0; col < row.length; col++) {
                cols[col][i] = row[col];
            }
            i++;
        }
        String[] types = {"bigint", "text", "text", "text", "integer", "integer", "bigint", "integer", "text"};
        try (PreparedStatement ps = c.prepareStatement(rollup.sql())) {
            for (int col = 0; col < cols.length; col++) {
                ps.setArray(col + 1, array(c, types[col], cols[col]));
            }
            ps.execute();
        }
    }

    private static void complete(Connection c, List<Completion> completions) throws SQLException {
        int n = completions.size();
        Object[] ids = new Object[n], regions = new Object[n], next = new Object[n], nodes = new Object[n];
        for (int i = 0; i < n; i++) {
            Completion done = completions.get(i);
            ids[i] = done.monitorId();
            regions[i] = done.region();
            next[i] = done.nextDue().toString();
            nodes[i] = done.nodeId();
        }
        try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            ps.setArray(1, array(c, "bigint", ids));
            ps.setArray(2, array(c, "text", regions));
            ps.setArray(3, array(c, "text", next));
            ps.setArray(4, array(c, "text", nodes));
            ps.executeUpdate();
        }
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        Object[] typed = switch (type) {
            case "bigint" -> new Long[values.length];
            case "integer" -> new Integer[values.length];
            case "smallint" -> new Short[values.length];
            case "boolean" -> new Boolean[values.length];
            default -> new String[values.length];
        };
        System.arraycopy(values, 0, typed, 0, values.length);
        return c.createArrayOf(type, typed);
    }

    /** PostgreSQL text cannot hold NUL, which garbage responses may contain. */
    private static String clean(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
