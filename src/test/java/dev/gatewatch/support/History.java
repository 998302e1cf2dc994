package dev.gatewatch.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Writes check history straight into the rollup, latest-result and incident tables, the way the result writer and the
 * analyzer leave them, so dashboard tests and the dashboard benchmark can have 90 days of history in seconds.
 */
public final class History {

    private static final String[] MONTHLY = {"check_rollup_hour", "monitor_rollup_hour", "monitor_rollup_day"};

    private final Connection c;

    public History(Connection c) {
        this.c = c;
    }

    /** Monthly partitions of the hourly and daily rollups from {@code from}'s month to today's. */
    public History partitionsSince(LocalDate from) throws SQLException {
        LocalDate month = from.withDayOfMonth(1);
        LocalDate last = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        try (Statement st = c.createStatement()) {
            for (; !month.isAfter(last); month = month.plusMonths(1)) {
                for (String t : MONTHLY) {
                    st.execute("create table if not exists " + t + "_p" + month.toString().replace("-", "").substring(0, 6) + " partition of " + t
                            + " for values from ('" + month + " 00:00:00+00') to ('" + month.plusMonths(1) + " 00:00:00+00')");
                }
            }
        }
        return this;
    }

    /** One UTC day of a monitor: checks, failures and the mean response time of the passing ones. */
    public History day(long monitorId, LocalDate day, int checks, int failures, int meanMs) throws SQLException {
        return rollup("monitor_rollup_day", monitorId, day.atStartOfDay(ZoneOffset.UTC).toInstant(), checks, failures, meanMs);
    }

    /** One hour of a monitor across all its streams. */
    public History hour(long monitorId, Instant hour, int checks, int failures, int meanMs) throws SQLException {
        return rollup("monitor_rollup_hour", monitorId, hour, checks, failures, meanMs);
    }

    /** The newest result of one (region, resolver) stream. */
    public History latest(long monitorId, String region, String resolver, Instant at, boolean ok, Integer status, int ms) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into check_latest (monitor_id, region, resolver, result_id, started_at, ok, status, total_ms, resolved_ip)
                values (?, ?, ?, 0, ?, ?, ?, ?, '127.0.0.1')
                on conflict (monitor_id, region, resolver) do update set started_at = excluded.started_at, ok = excluded.ok,
                    status = excluded.status, total_ms = excluded.total_ms
                """)) {
            ps.setLong(1, monitorId);
            ps.setString(2, region);
            ps.setString(3, resolver);
            ps.setObject(4, utc(at));
            ps.setBoolean(5, ok);
            ps.setObject(6, status);
            ps.setInt(7, ms);
            ps.executeUpdate();
        }
        return this;
    }

    /** An incident as the analyzer stores it; {@code scope} is the analyzer's scope JSON. */
    public long incident(long ownerId, long monitorId, String kind, String status, String scope, Instant started, Instant confirmed,
            Instant resolved) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into incident (monitor_id, owner_id, track, kind, status, started_at, confirmed_at, resolved_at, extent, summary,
                    scope, evidence, explanation)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, '{}'::jsonb, '{}'::jsonb) returning id
                """)) {
            ps.setLong(1, monitorId);
            ps.setLong(2, ownerId);
            ps.setString(3, kind.equals("degraded") ? "latency" : "availability");
            ps.setString(4, kind);
            ps.setString(5, status);
            ps.setObject(6, utc(started));
            ps.setObject(7, confirmed == null ? null : utc(confirmed));
            ps.setObject(8, resolved == null ? null : utc(resolved));
            ps.setString(9, kind.equals("partial") ? "regions" : "whole");
            ps.setString(10, kind + " of monitor " + monitorId);
            ps.setString(11, scope);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private History rollup(String table, long monitorId, Instant bucket, int checks, int failures, int meanMs) throws SQLException {
        int ok = checks - failures;
        try (PreparedStatement ps = c.prepareStatement("insert into " + table
                + " (monitor_id, bucket, checks, failures, ok_total_ms, max_ms, p50_ms, p95_ms, hist) values (?, ?, ?, ?, ?, ?, ?, ?, ?::integer[])"
                + " on conflict (monitor_id, bucket) do update set checks = excluded.checks, failures = excluded.failures,"
                + " ok_total_ms = excluded.ok_total_ms")) {
            ps.setLong(1, monitorId);
            ps.setObject(2, utc(bucket));
            ps.setInt(3, checks);
            ps.setInt(4, failures);
            ps.setLong(5, (long) ok * meanMs);
            ps.setObject(6, ok == 0 ? null : meanMs);
            ps.setObject(7, ok == 0 ? null : meanMs);
            ps.setObject(8, ok == 0 ? null : meanMs);
            ps.setString(9, "{" + "0,".repeat(59) + "0}");
            ps.executeUpdate();
        }
        return this;
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
