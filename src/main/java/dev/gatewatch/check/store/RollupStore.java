package dev.gatewatch.check.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatewatch.api.Sql;
import dev.gatewatch.check.store.RollupBuffer.Key;
import dev.gatewatch.check.store.RollupBuffer.Row;
import dev.gatewatch.check.store.RollupBuffer.Table;
import dev.gatewatch.check.store.RollupBuffer.Totals;

/**
 * The SQL of a rollup flush, in the caller's transaction: per table, one multi-row statement for new rows and, for hour
 * and day rows already there, one read and one update with the totals merged in Java.
 */
final class RollupStore {

    /** {@code %s}: the table, its key columns beyond monitor and bucket, the same from the input, and the key again. */
    private static final String UPSERT = """
            insert into %s as r (monitor_id, bucket%s, checks, failures, ok_total_ms, max_ms, p50_ms, p95_ms, hist)
            select m, b%s, c, f, s, mx, p50, p95, h::integer[]
            from unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::integer[], ?::integer[], ?::bigint[],
                ?::integer[], ?::integer[], ?::integer[], ?::text[]) as t(m, b, rg, rs, c, f, s, mx, p50, p95, h)
            on conflict (monitor_id, bucket%s) do update set checks = r.checks + excluded.checks,
                failures = r.failures + excluded.failures, ok_total_ms = r.ok_total_ms + excluded.ok_total_ms,
                max_ms = greatest(r.max_ms, excluded.max_ms), hist = gw_hist_add(r.hist, excluded.hist),
                p50_ms = gw_hist_quantile(gw_hist_add(r.hist, excluded.hist), 0.5, greatest(r.max_ms, excluded.max_ms)),
                p95_ms = gw_hist_quantile(gw_hist_add(r.hist, excluded.hist), 0.95, greatest(r.max_ms, excluded.max_ms))
            """;

    /**
     * Minute rows carry no histogram: a 60-counter array would be most of the row's bytes for one or two checks, and
     * they are written once, when the minute has ended. Results that come later still (after a database outage) add to
     * the minute's counts and maximum; its percentiles then stay those of the larger part (p95 the higher of the two).
     */
    private static final String UPSERT_MINUTE = """
            insert into check_rollup_minute as r (monitor_id, bucket, region, resolver, checks, failures, ok_total_ms,
                max_ms, p50_ms, p95_ms)
            select m, b, rg, rs, c, f, s, mx, p50, p95
            from unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::integer[], ?::integer[], ?::bigint[],
                ?::integer[], ?::integer[], ?::integer[], ?::text[]) as t(m, b, rg, rs, c, f, s, mx, p50, p95, h)
            on conflict (monitor_id, bucket, region, resolver) do update set checks = r.checks + excluded.checks,
                failures = r.failures + excluded.failures, ok_total_ms = r.ok_total_ms + excluded.ok_total_ms,
                max_ms = greatest(r.max_ms, excluded.max_ms),
                p50_ms = case when r.p50_ms is null or excluded.checks > r.checks then coalesce(excluded.p50_ms, r.p50_ms)
                              else r.p50_ms end,
                p95_ms = greatest(r.p95_ms, excluded.p95_ms)
            """;

    /**
     * The hour and day rows already there, read to be merged in Java: merging the histograms and reading their
     * percentiles in SQL cost ~170 µs of PostgreSQL per row (five SQL-function calls), most of its share of a check.
     * {@code %s}: the table, its key columns (or empty ones), the join on them.
     */
    private static final String EXISTING = """
            select r.monitor_id, r.bucket, %s, r.checks, r.failures, r.ok_total_ms, r.max_ms, r.hist
            from %s r join unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[]) as t(m, b, rg, rs)
                on r.monitor_id = t.m and r.bucket = t.b%s
            """;

    /**
     * Sets merged totals, only where the row is still as it was read ({@code checks} only grows): a row another
     * writer changed in between is left for the additive upsert. {@code %s}: the table, the join on the key.
     */
    private static final String REPLACE = """
            update %s as r set checks = t.c, failures = t.f, ok_total_ms = t.s, max_ms = t.mx, p50_ms = t.p50, p95_ms = t.p95,
                hist = t.h::integer[]
            from unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::integer[], ?::integer[], ?::bigint[],
                ?::integer[], ?::integer[], ?::integer[], ?::text[], ?::integer[]) as t(m, b, rg, rs, c, f, s, mx, p50, p95, h, was)
            where r.monitor_id = t.m and r.bucket = t.b%s and r.checks = t.was
            returning r.monitor_id, r.bucket, %s
            """;

    private static final String[] TYPES = {"bigint", "text", "text", "text", "integer", "integer", "bigint", "integer",
            "integer", "integer", "text"};

    private RollupStore() {
    }

    /** Merges per-minute stream rows into every rollup table. */
    static void write(Connection c, List<Row> minuteRows) throws SQLException {
        for (Map.Entry<Table, List<Row>> e : RollupBuffer.tables(minuteRows).entrySet()) {
            if (e.getKey() == Table.CHECK_MINUTE) {
                upsert(c, e.getKey(), e.getValue());
            } else {
                merge(c, e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Rows already there get the totals merged here; new ones, and any another writer changed meanwhile, go through
     * the additive upsert, which is exact whatever happened in between.
     */
    private static void merge(Connection c, Table table, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<Key, Totals> there = existing(c, table, rows);
        List<Row> replaced = new ArrayList<>();
        List<Integer> was = new ArrayList<>();
        List<Row> added = new ArrayList<>();
        for (Row r : rows) {
            Totals old = there.get(Key.of(r));
            if (old == null) {
                added.add(r);
            } else {
                was.add(old.checks);
                old.add(r.totals());
                replaced.add(new Row(r.monitorId(), r.bucket(), r.region(), r.resolver(), old));
            }
        }
        if (!replaced.isEmpty()) {
            Set<Key> done = replace(c, table, replaced, was);
            for (Row r : rows) {
                if (there.containsKey(Key.of(r)) && !done.contains(Key.of(r))) {
                    added.add(r); // changed by another writer since it was read: add this flush's part to whatever is there
                }
            }
            added.sort(RollupBuffer.ORDER);
        }
        upsert(c, table, added);
    }

    private static Map<Key, Totals> existing(Connection c, Table table, List<Row> rows) throws SQLException {
        Map<Key, Totals> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(EXISTING.formatted(keyColumns(table), table.sqlName, keyJoin(table)))) {
            bind(c, ps, columns(rows, null));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array hist = rs.getArray(9);
                    out.put(key(rs), Totals.stored(rs.getInt(5), rs.getInt(6), rs.getLong(7), Sql.integer(rs, "max_ms"),
                                    hist == null ? null : (Integer[]) hist.getArray()));
                }
            }
        }
        return out;
    }

    /** The keys of the rows replaced (the others changed since they were read). */
    private static Set<Key> replace(Connection c, Table table, List<Row> rows, List<Integer> was) throws SQLException {
        Set<Key> done = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(REPLACE.formatted(table.sqlName, keyJoin(table), keyColumns(table)))) {
            bind(c, ps, columns(rows, table));
            ps.setArray(TYPES.length + 1, PgArrays.of(c, "integer", was.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(key(rs));
                }
            }
        }
        return done;
    }

    private static void upsert(Connection c, Table table, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Object[][] cols = columns(rows, table);
        String key = table.perStream ? ", region, resolver" : "";
        String sql = table == Table.CHECK_MINUTE ? UPSERT_MINUTE : UPSERT.formatted(table.sqlName, key, table.perStream ? ", rg, rs" : "", key);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, cols);
            ps.execute();
        }
    }

    /** The rows as column arrays; {@code table} null for the key columns only. */
    private static Object[][] columns(List<Row> rows, Table table) {
        Object[][] cols = new Object[table == null ? 4 : TYPES.length][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            cols[0][i] = r.monitorId();
            cols[1][i] = r.bucket().toString();
            cols[2][i] = r.region();
            cols[3][i] = r.resolver();
            if (table == null) {
                continue;
            }
            var t = r.totals();
            int[] hist = t.histogram();
            // Quantiles of a new or replaced row are computed here; an additive merge recomputes them in SQL.
            Object[] rest = {t.checks, t.failures, t.okTotalMs, t.maxMs, LatencyHistogram.quantile(hist, 0.5, t.maxMs),
                    LatencyHistogram.quantile(hist, 0.95, t.maxMs), table == Table.CHECK_MINUTE ? null : LatencyHistogram.literal(hist)};
            for (int col = 0; col < rest.length; col++) {
                cols[4 + col][i] = rest[col];
            }
        }
        return cols;
    }

    /** A row's key as {@code EXISTING} and {@code REPLACE} return it: monitor, bucket, then {@link #keyColumns}. */
    private static Key key(ResultSet rs) throws SQLException {
        return new Key(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4));
    }

    /** The table's region and resolver as a statement returns them. */
    private static String keyColumns(Table table) {
        return table.perStream ? "r.region, r.resolver" : "'' as region, '' as resolver";
    }

    /** The join of the table's rows on the input's key beyond monitor and bucket. */
    private static String keyJoin(Table table) {
        return table.perStream ? " and r.region = t.rg and r.resolver = t.rs" : "";
    }

    /** Binds column arrays to the statement's first parameters, in order. */
    private static void bind(Connection c, PreparedStatement ps, Object[][] cols) throws SQLException {
        for (int col = 0; col < cols.length; col++) {
            ps.setArray(col + 1, PgArrays.of(c, TYPES[col], cols[col]));
        }
    }
}
