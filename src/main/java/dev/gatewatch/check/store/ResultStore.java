package dev.gatewatch.check.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.postgresql.PGConnection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.api.Storable;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.ResultNotices;
import dev.gatewatch.check.cdn.EdgeInfo;
import dev.gatewatch.check.schedule.Completion;

/**
 * The SQL of one result batch, in the caller's transaction: completes the slots whose lease epoch still holds (and
 * fences out the rest), streams their raw rows in with {@code COPY}, and updates the latest result of each stream once.
 * Rollups are merged in memory by the caller and written apart ({@link RollupStore}).
 */
final class ResultStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param stored the results written; superseded: results of slots another checker claimed since (not written) */
    record Outcome(List<CheckResult> stored, int superseded) {
    }

    private static final String IDS = "select nextval('check_result_id_seq') from generate_series(1, ?)";

    private static final String COPY = """
            copy check_result (id, monitor_id, checker_key, resolver_key, due_at, started_at, ok, status, error_class,
                error_message, dns_ms, connect_ms, tls_ms, ttfb_ms, download_ms, total_ms, resolved_ip, redirects, final_url,
                body_bytes, server, cdn_provider, cdn_pop, cdn_request_id, error_source, error_generator, error_body,
                tls_expires_at, assertion_failures, replaced_chars) from stdin
            """;

    /** The newest result of each stream in the batch; a stream's row only moves forward in time. */
    private static final String LATEST = """
            insert into check_latest (monitor_id, region, resolver, result_id, started_at, ok, status, error_class,
                total_ms, resolved_ip, cdn_pop)
            select * from unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::timestamptz[], ?::boolean[],
                ?::smallint[], ?::text[], ?::integer[], ?::text[], ?::text[]) as t(m, rg, rs, id, at, ok, st, ec, ms, ip, pop)
            where exists (select 1 from monitor where id = t.m)
            on conflict (monitor_id, region, resolver) do update set result_id = excluded.result_id,
                started_at = excluded.started_at, ok = excluded.ok, status = excluded.status,
                error_class = excluded.error_class, total_ms = excluded.total_ms, resolved_ip = excluded.resolved_ip,
                cdn_pop = excluded.cdn_pop
            where check_latest.started_at <= excluded.started_at
            """;

    private static final String[] LATEST_TYPES = {"bigint", "text", "text", "bigint", "text", "boolean", "smallint", "text",
            "integer", "text", "text"};

    /**
     * Completes the slots whose row still has the claimed epoch, returning them. Rows are locked in key order first,
     * so two transactions completing or hurrying overlapping slots wait for each other instead of deadlocking; the
     * locks keep claims (SKIP LOCKED) off those rows until commit, so no other checker can take a slot between the fence
     * and the insert. The lock is taken row by row through the key (lateral): as a join, PostgreSQL hashed the whole
     * schedule for a few hundred slots (408 ms a call at 100,000 monitors in the bench).
     */
    private static final String COMPLETE = """
            with t as materialized (
                select * from unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[]) as t(m, rg, due, next, epoch)),
            locked as materialized (
                select k.monitor_id, k.region from (select * from t order by m, rg) o
                cross join lateral (select s.monitor_id, s.region from check_schedule s
                                    where s.monitor_id = o.m and s.region = o.rg and s.lease_epoch = o.epoch for update) k)
            update check_schedule s set leased_until = null, leased_by = null,
                next_due_at = case when s.fast_until > now()
                                   then least(t.next, greatest(t.due + s.fast_every_ms * interval '1 millisecond', now()))
                                   else t.next end
            from t join locked l on l.monitor_id = t.m and l.region = t.rg
            where s.monitor_id = t.m and s.region = t.rg and s.lease_epoch = t.epoch
            returning s.monitor_id, s.region, s.lease_epoch
            """;

    private ResultStore() {
    }

    /**
     * Writes {@code batches} on {@code c}, in the caller's transaction.
     *
     * @param synchronousCommit false: the commit returns before its WAL is flushed (see {@code
     *                          gatewatch.checker.writer.synchronous-commit})
     */
    static Outcome write(Connection c, List<Batch> batches, ResultLabels labels, boolean synchronousCommit) throws SQLException {
        labels.resolve(c, batches.stream().flatMap(b -> b.results().stream()).toList());
        if (!synchronousCommit) {
            commitWithoutWaitingForDisk(c);
        }
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
            long[] ids = ids(c, results.size());
            copy(c, results, ids, labels);
            latest(c, results, ids);
            notifyAnalyzers(c, results);
        }
        return new Outcome(results, superseded);
    }

    /** This transaction's commit returns before its WAL reaches disk (see {@code gatewatch.checker.writer.synchronous-commit}). */
    static void commitWithoutWaitingForDisk(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("set local synchronous_commit = off");
        }
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
            ps.setArray(1, PgArrays.of(c, "bigint", ids));
            ps.setArray(2, PgArrays.of(c, "text", regions));
            ps.setArray(3, PgArrays.of(c, "text", dues));
            ps.setArray(4, PgArrays.of(c, "text", nexts));
            ps.setArray(5, PgArrays.of(c, "bigint", epochs));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(new SlotKey(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return done;
    }

    private static long[] ids(Connection c, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement(IDS)) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < n && rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    private static void copy(Connection c, List<CheckResult> rs, long[] ids, ResultLabels labels) throws SQLException {
        CopyText rows = new CopyText();
        for (int i = 0; i < rs.size(); i++) {
            CheckResult r = rs.get(i);
            var t = r.timings();
            var e = r.edge();
            Storable s = new Storable();
            List<String> failures = r.assertionFailures() == null ? List.of() : r.assertionFailures().stream().map(s::text).toList();
            Object[] row = {ids[i], r.monitorId(), labels.checkerKey(r), labels.resolverKey(r), r.dueAt(),
                    r.startedAt(), r.ok(), r.status() == null ? null : r.status().shortValue(),
                    r.errorClass() == null ? null : r.errorClass().code(), s.text(r.errorMessage()), t.dnsMs(), t.connectMs(),
                    t.tlsMs(), t.ttfbMs(), t.downloadMs(), t.totalMs(), s.text(r.resolvedIp()), (short) r.redirects(),
                    finalUrl(r, s), r.bodyBytes(), e == null ? null : s.text(e.server()), e == null ? null : s.text(e.provider()),
                    e == null ? null : s.text(e.pop()), e == null ? null : s.text(e.requestId()),
                    EdgeInfo.errorSourceCode(e, r.status()),
                    e == null ? null : s.text(e.generator()), s.text(r.errorBody()), r.tlsExpiresAt(),
                    failures.isEmpty() ? null : json(failures)};
            for (Object v : row) {
                rows.value(v);
            }
            rows.value(s.replaced() == 0 ? null : s.replaced()).endRow();
        }
        byte[] data = rows.bytes();
        var copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            copy.writeToCopy(data, 0, data.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Only after a redirect: otherwise it is the monitor's own URL again, a third of a healthy row. */
    private static String finalUrl(CheckResult r, Storable s) {
        return r.redirects() == 0 ? null : s.text(r.finalUrl());
    }

    private static void latest(Connection c, List<CheckResult> rs, long[] ids) throws SQLException {
        record Stream(long monitorId, String region, String resolver) {
        }
        Map<Stream, Integer> newest = new HashMap<>();
        for (int i = 0; i < rs.size(); i++) {
            CheckResult r = rs.get(i);
            newest.merge(new Stream(r.monitorId(), r.region(), r.resolver()), i,
                    (a, b) -> rs.get(b).startedAt().isBefore(rs.get(a).startedAt()) ? a : b);
        }
        List<Map.Entry<Stream, Integer>> rows = new ArrayList<>(newest.entrySet());
        // Key order, so that two writers upserting overlapping streams lock them in one order.
        rows.sort(Map.Entry.comparingByKey(Comparator.comparingLong(Stream::monitorId).thenComparing(Stream::region)
                .thenComparing(Stream::resolver)));
        Object[][] cols = new Object[LATEST_TYPES.length][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            int at = rows.get(i).getValue();
            CheckResult r = rs.get(at);
            Storable s = new Storable();
            Object[] row = {r.monitorId(), s.text(r.region()), s.text(r.resolver()), ids[at], r.startedAt().toString(), r.ok(),
                    r.status() == null ? null : r.status().shortValue(), r.errorClass() == null ? null : r.errorClass().code(),
                    r.timings().totalMs(), s.text(r.resolvedIp()), r.edge() == null ? null : s.text(r.edge().pop())};
            for (int col = 0; col < row.length; col++) {
                cols[col][i] = row[col];
            }
        }
        try (PreparedStatement ps = c.prepareStatement(LATEST)) {
            for (int col = 0; col < cols.length; col++) {
                ps.setArray(col + 1, PgArrays.of(c, LATEST_TYPES[col], cols[col]));
            }
            ps.execute();
        }
    }

    /** Delivered at commit, so analyzers hear only of results that are stored. */
    private static void notifyAnalyzers(Connection c, List<CheckResult> results) throws SQLException {
        List<Long> monitors = results.stream().map(CheckResult::monitorId).toList();
        try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
            for (String payload : ResultNotices.payloads(monitors)) {
                ps.setString(1, ResultNotices.CHANNEL);
                ps.setString(2, payload);
                ps.executeQuery().close();
            }
        }
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
