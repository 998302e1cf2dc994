package dev.gatewatch.check.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import dev.gatewatch.check.store.RollupBuffer.Row;
import dev.gatewatch.check.store.RollupBuffer.Table;

/** The SQL of a rollup flush, in the caller's transaction: one multi-row upsert per table, merged into what is there. */
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

    private static final String[] TYPES = {"bigint", "text", "text", "text", "integer", "integer", "bigint", "integer",
            "integer", "integer", "text"};

    private RollupStore() {
    }

    /** Merges per-minute stream rows into every rollup table. */
    static void write(Connection c, List<Row> minuteRows) throws SQLException {
        for (Map.Entry<Table, List<Row>> e : RollupBuffer.tables(minuteRows).entrySet()) {
            upsert(c, e.getKey(), e.getValue());
        }
    }

    private static void upsert(Connection c, Table table, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Object[][] cols = new Object[TYPES.length][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            var t = r.totals();
            int[] hist = t.histogram();
            // Quantiles of a new row are computed here; a merge with an existing row recomputes them in SQL.
            Object[] row = {r.monitorId(), r.bucket().toString(), r.region(), r.resolver(), t.checks, t.failures, t.okTotalMs,
                    t.maxMs, LatencyHistogram.quantile(hist, 0.5, t.maxMs), LatencyHistogram.quantile(hist, 0.95, t.maxMs),
                    table == Table.CHECK_MINUTE ? null : LatencyHistogram.literal(hist)};
            for (int col = 0; col < row.length; col++) {
                cols[col][i] = row[col];
            }
        }
        String key = table.perStream ? ", region, resolver" : "";
        String sql = table == Table.CHECK_MINUTE ? UPSERT_MINUTE : UPSERT.formatted(table.sqlName, key, table.perStream ? ", rg, rs" : "", key);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int col = 0; col < cols.length; col++) {
                ps.setArray(col + 1, PgArrays.of(c, TYPES[col], cols[col]));
            }
            ps.execute();
        }
    }
}
