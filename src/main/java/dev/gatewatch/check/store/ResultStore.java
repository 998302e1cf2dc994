package dev.gatewatch.check.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.api.Storable;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.schedule.Completion;

/**
 * The SQL of one result batch, in the caller's transaction: completes the slots whose lease epoch still holds (and
 * fences out the rest), stores their raw rows and latest-result rows, and merges them into the minute and hour rollups.
 */
final class ResultStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param stored results written; superseded: results of slots another checker claimed since (not written) */
    record Outcome(int stored, int superseded) {
    }

    private static final String INSERT = """
            with ins as (
                insert into check_result (monitor_id, region, resolver, checker_id, due_at, started_at, ok, status,
                    error_class, error_message, dns_ms, connect_ms, tls_ms, ttfb_ms, download_ms, total_ms, resolved_ip,
                    redirects, final_url, body_bytes, server, cdn_provider, cdn_pop, cdn_request_id, error_source,
                    error_generator, error_body, tls_expires_at, assertion_failures, replaced_chars)
                select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                    ?::boolean[], ?::smallint[], ?::text[], ?::text[], ?::integer[], ?::integer[], ?::integer[],
                    ?::integer[], ?::integer[], ?::integer[], ?::text[], ?::smallint[], ?::text[], ?::integer[], ?::text[],
                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::jsonb[], ?::integer[])
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

    private static final String[] INSERT_TYPES = {"bigint", "text", "text", "text", "text", "text", "boolean", "smallint",
            "text", "text", "integer", "integer", "integer", "integer", "integer", "integer", "text", "smallint", "text",
            "integer", "text", "text", "text", "text", "text", "text", "text", "text", "text", "integer"};

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

    /**
     * Completes the slots whose row still has the claimed epoch, returning them; the update's row locks keep claims
     * (SKIP LOCKED) off those rows until commit, so no other checker can take a slot between the fence and the insert.
     */
    private static final String COMPLETE = """
            update check_schedule s set leased_until = null, leased_by = null,
                next_due_at = case when s.fast_until > now()
                                   then least(t.next, greatest(t.due + s.fast_every_ms * interval '1 millisecond', now()))
                                   else t.next end
            from unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[]) as t(m, rg, due, next, epoch)
            where s.monitor_id = t.m and s.region = t.rg and s.lease_epoch = t.epoch
            returning s.monitor_id, s.region, s.lease_epoch
            """;

    private ResultStore() {
    }

    /** Writes {@code batches} on {@code c}, in the caller's transaction. */
    static Outcome write(Connection c, List<Batch> batches) throws SQLException {
        Set<SlotKey> completed = complete(c, batches);
        List<CheckResult> results = new ArrayList<>();
        int superseded = 0;
        for (Batch b : batches) {
            if (b.completion() == null || completed.contains(SlotKey.of(b.completion()))) {
                results.addAll(b.results());
            } else {
                superseded += b.size();
            }
        }
        if (!results.isEmpty()) {
            insertResults(c, results);
            for (Rollup r : ROLLUPS) {
                rollup(c, r, results);
            }
        }
        return new Outcome(results.size(), superseded);
    }

    /**
     * What is kept of a result PostgreSQL refused: its verdict, status, timings and addresses, without the text that
     * came from the target, and a message saying why.
     */
    static CheckResult withoutDetails(CheckResult r, SQLException refusal) {
        String reason = refusal.getSQLState() + ": " + String.valueOf(refusal.getMessage()).lines().findFirst().orElse("");
        return new CheckResult(r.monitorId(), r.region(), r.resolver(), r.checkerId(), r.dueAt(), r.startedAt(), r.ok(),
                r.status(), ErrorClass.UNSTORABLE_RESULT,
                abbreviate("stored without its details: PostgreSQL refused them (" + reason + ")"
                        + (r.errorClass() == null ? "" : "; the check failed as " + r.errorClass().code())),
                r.timings(),
                r.resolvedIp(), r.redirects(), null, r.bodyBytes(), null, null, r.tlsExpiresAt(), List.of());
    }

    private record SlotKey(long monitorId, String region, long epoch) {
        static SlotKey of(Completion c) {
            return new SlotKey(c.monitorId(), c.region(), c.epoch());
        }
    }

    private static Set<SlotKey> complete(Connection c, List<Batch> batches) throws SQLException {
        // One source row per (monitor, region, epoch): an UPDATE ... FROM with two matches for a row applies only one.
        // Several slots of one epoch come from a checker that went on checking through a database outage; the latest wins.
        Map<SlotKey, Completion> next = new LinkedHashMap<>();
        for (Batch b : batches) {
            if (b.completion() != null) {
                next.merge(SlotKey.of(b.completion()), b.completion(), (x, y) -> x.nextDue().isAfter(y.nextDue()) ? x : y);
            }
        }
        Set<SlotKey> done = new HashSet<>();
        if (next.isEmpty()) {
            return done;
        }
        int n = next.size();
        Object[] ids = new Object[n], regions = new Object[n], dues = new Object[n], nexts = new Object[n], epochs = new Object[n];
        int i = 0;
        for (var e : next.entrySet()) {
            ids[i] = e.getKey().monitorId();
            regions[i] = e.getKey().region();
            dues[i] = e.getValue().due().toString();
            nexts[i] = e.getValue().nextDue().toString();
            epochs[i++] = e.getKey().epoch();
        }
        try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            ps.setArray(1, array(c, "bigint", ids));
            ps.setArray(2, array(c, "text", regions));
            ps.setArray(3, array(c, "text", dues));
            ps.setArray(4, array(c, "text", nexts));
            ps.setArray(5, array(c, "bigint", epochs));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(new SlotKey(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return done;
    }

    private static void insertResults(Connection c, List<CheckResult> rs) throws SQLException {
        int n = rs.size();
        Object[][] cols = new Object[INSERT_TYPES.length][n];
        for (int i = 0; i < n; i++) {
            CheckResult r = rs.get(i);
            var t = r.timings();
            var e = r.edge();
            Storable s = new Storable();
            List<String> failures = r.assertionFailures() == null ? List.of() : r.assertionFailures().stream().map(s::text).toList();
            Object[] row = {r.monitorId(), s.text(r.region()), s.text(r.resolver()), s.text(r.checkerId()), r.dueAt().toString(),
                    r.startedAt().toString(), r.ok(), r.status() == null ? null : r.status().shortValue(),
                    r.errorClass() == null ? null : r.errorClass().code(), s.text(r.errorMessage()), t.dnsMs(), t.connectMs(),
                    t.tlsMs(), t.ttfbMs(), t.downloadMs(), t.totalMs(), s.text(r.resolvedIp()), (short) r.redirects(),
                    s.text(r.finalUrl()), r.bodyBytes(), e == null ? null : s.text(e.server()), e == null ? null : s.text(e.provider()),
                    e == null ? null : s.text(e.pop()), e == null ? null : s.text(e.requestId()),
                    e == null || r.status() == null || r.status() < 400 ? null : e.errorSource().code(),
                    e == null ? null : s.text(e.generator()), s.text(r.errorBody()),
                    r.tlsExpiresAt() == null ? null : r.tlsExpiresAt().toString(),
                    failures.isEmpty() ? null : json(failures), null};
            row[row.length - 1] = s.replaced() == 0 ? null : s.replaced();
            for (int col = 0; col < row.length; col++) {
                cols[col][i] = row[col];
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int col = 0; col < cols.length; col++) {
                ps.setArray(col + 1, array(c, INSERT_TYPES[col], cols[col]));
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
        Storable s = new Storable();
        for (var e : aggs.entrySet()) {
            Key k = e.getKey();
            Agg a = e.getValue();
            Object[] row = {k.monitorId(), k.bucket().toString(), s.text(k.region()), s.text(k.resolver()), a.checks, a.failures,
                    a.okTotal, a.max, LatencyHistogram.literal(a.hist)};
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

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 499) + "…";
    }
}
