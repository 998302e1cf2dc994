package dev.gatewatch.check.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.account.OwnedMonitors;
import dev.gatewatch.api.DateTimeParam;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.Sql;
import dev.gatewatch.check.Timings;
import dev.gatewatch.config.GatewatchConfig;
import io.agroal.api.AgroalDataSource;

/** Read side of checks: results, latest results, rollups (owner-scoped through the monitor) and regions. */
@ApplicationScoped
public class CheckQueries {

    public static final int MAX_RESULTS = 1000;
    private static final Duration MAX_RAW_RANGE = Duration.ofDays(31);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;
    private final GatewatchConfig config;

    public CheckQueries(AgroalDataSource dataSource, GatewatchConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** A time range from API parameters: default the last 24 h, never longer than {@code max}. */
    public record Range(Instant since, Instant until) {
        static Range parse(String since, String until, Duration max) {
            List<FieldError> errors = new ArrayList<>();
            Instant u = DateTimeParam.parse("until", until, Instant.now(), errors);
            Instant s = DateTimeParam.parse("since", since, u.minus(Duration.ofDays(1)), errors);
            if (errors.isEmpty() && !s.isBefore(u)) {
                errors.add(new FieldError("since", "must be before until"));
            }
            if (errors.isEmpty() && Duration.between(s, u).compareTo(max) > 0) {
                errors.add(new FieldError("since", "the range may span at most " + max.toDays() + " days"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            return new Range(s, u);
        }
    }

    public List<ResultView> results(long ownerId, long monitorId, String since, String until, String region, String resolver, int limit) {
        Range range = Range.parse(since, until, MAX_RAW_RANGE);
        if (limit < 1 || limit > MAX_RESULTS) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_RESULTS);
        }
        return query(ownerId, monitorId, """
                select * from check_result_full where monitor_id = ? and started_at >= ? and started_at < ?
                  and (?::text is null or region = ?) and (?::text is null or resolver = ?)
                order by started_at desc, id desc limit ?
                """, rs -> new ResultView(rs.getLong("id"), rs.getString("region"), rs.getString("resolver"), Sql.instant(rs, "due_at"),
                Sql.instant(rs, "started_at"), rs.getBoolean("ok"), Sql.integer(rs, "status"), rs.getString("error_class"),
                rs.getString("error_message"), new Timings(Sql.integer(rs, "dns_ms"), Sql.integer(rs, "connect_ms"), Sql.integer(rs, "tls_ms"),
                        Sql.integer(rs, "ttfb_ms"), Sql.integer(rs, "download_ms"), rs.getInt("total_ms")),
                rs.getString("resolved_ip"), rs.getInt("redirects"), rs.getString("final_url"), Sql.integer(rs, "body_bytes"),
                new ResultView.Cdn(rs.getString("cdn_provider"), rs.getString("cdn_pop"), rs.getString("cdn_request_id"),
                        rs.getString("server"), rs.getString("error_source"), rs.getString("error_generator")),
                rs.getString("error_body"), Sql.instant(rs, "tls_expires_at"), strings(rs.getString("assertion_failures")),
                rs.getString("checker_id"), Sql.integer(rs, "replaced_chars")),
                monitorId, range.since(), range.until(), region, region, resolver, resolver, limit);
    }

    public List<LatestView> latest(long ownerId, long monitorId) {
        return query(ownerId, monitorId, "select * from check_latest where monitor_id = ? order by region, resolver",
                rs -> new LatestView(rs.getString("region"), rs.getString("resolver"), rs.getLong("result_id"),
                        Sql.instant(rs, "started_at"), rs.getBoolean("ok"), Sql.integer(rs, "status"), rs.getString("error_class"),
                        rs.getInt("total_ms"), rs.getString("resolved_ip"), rs.getString("cdn_pop")),
                monitorId);
    }

    public List<RollupView> rollups(long ownerId, long monitorId, String granularity, String since, String until) {
        String table = switch (granularity == null ? "" : granularity) {
            case "minute" -> "check_rollup_minute";
            case "hour" -> "check_rollup_hour";
            default -> throw new InvalidInputException("granularity", "must be minute or hour");
        };
        Range range = Range.parse(since, until, table.endsWith("minute") ? config.results().minuteRollupRetention()
                : config.results().hourRollupRetention());
        return query(ownerId, monitorId, "select * from " + table + " where monitor_id = ? and bucket >= ? and bucket < ?"
                + " order by bucket, region, resolver",
                rs -> {
                    int checks = rs.getInt("checks");
                    int failures = rs.getInt("failures");
                    int okChecks = checks - failures;
                    return new RollupView(Sql.instant(rs, "bucket"), rs.getString("region"), rs.getString("resolver"), checks, failures,
                            okChecks == 0 ? null : (int) Math.round(rs.getLong("ok_total_ms") / (double) okChecks),
                            Sql.integer(rs, "p50_ms"), Sql.integer(rs, "p95_ms"), Sql.integer(rs, "max_ms"));
                },
                monitorId, range.since(), range.until());
    }

    /** Every region that has had a checker in the last week, live ones first. */
    public List<RegionView> regions() {
        Duration timeout = config.checker().nodeTimeout();
        Instant now = Instant.now();
        Map<String, List<RegionView.Node>> byRegion = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select * from checker_node where stopped_at is null or last_seen_at > now() - interval '7 days'
                order by region, last_seen_at desc
                """); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Instant seen = Sql.instant(rs, "last_seen_at");
                Instant stopped = Sql.instant(rs, "stopped_at");
                boolean live = stopped == null && seen.isAfter(now.minus(timeout));
                byRegion.computeIfAbsent(rs.getString("region"), k -> new ArrayList<>()).add(new RegionView.Node(
                        rs.getString("id"), rs.getString("host"), rs.getString("version"), Sql.instant(rs, "started_at"), seen, stopped,
                        live, live ? rs.getInt("in_flight") : 0, live ? rs.getInt("checks_per_minute") : 0, rs.getInt("buffered"),
                        rs.getLong("dropped")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading checker nodes failed", e);
        }
        List<RegionView> regions = new ArrayList<>();
        byRegion.forEach((region, nodes) -> {
            int live = (int) nodes.stream().filter(RegionView.Node::live).count();
            Instant last = nodes.stream().map(RegionView.Node::lastSeenAt).max(Instant::compareTo).orElse(null);
            regions.add(new RegionView(region, live > 0, live, last, live > 0 ? null : last, nodes));
        });
        regions.sort((a, b) -> a.live() == b.live() ? a.region().compareTo(b.region()) : a.live() ? -1 : 1);
        return regions;
    }

    /**
     * Silent regions that check the owner's active monitors (or only {@code monitorId}'s, when given), and how many of
     * them no live region checks. A region counts as silent once it has had no live node for the node timeout.
     */
    public Coverage coverage(long ownerId, Long monitorId) {
        List<List<String>> monitors = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select regions from monitor where owner_id = ? and not paused and (?::bigint is null or id = ?)")) {
            ps.setLong(1, ownerId);
            ps.setObject(2, monitorId);
            ps.setObject(3, monitorId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    monitors.add(strings(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading monitor regions failed", e);
        }
        return monitors.isEmpty() ? Coverage.FULL : Coverage.of(regions(), monitors, Instant.now(), config.checker().nodeTimeout());
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(long ownerId, long monitorId, String sql, Row<T> row, Object... params) {
        try (Connection c = dataSource.getConnection()) {
            OwnedMonitors.requireOwned(c, ownerId, monitorId);
            List<T> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    Object p = params[i];
                    ps.setObject(i + 1, p instanceof Instant t ? OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC) : p);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row.map(rs));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading results of monitor " + monitorId + " failed", e);
        }
    }

    private static List<String> strings(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (Exception e) {
            return List.of(json);
        }
    }
}
