package dev.gatewatch.dashboard;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.api.Sql;
import dev.gatewatch.dashboard.model.Day;
import dev.gatewatch.dashboard.model.Health;
import dev.gatewatch.dashboard.model.MonitorSummary;
import dev.gatewatch.dashboard.model.OpenIncident;
import dev.gatewatch.dashboard.model.Period;
import dev.gatewatch.dashboard.model.Sparkline;
import dev.gatewatch.dashboard.model.Uptime;
import io.agroal.api.AgroalDataSource;

/**
 * The dashboard's read side over many monitors at once: a fixed handful of queries per page whatever the number of
 * monitors, reading the per-monitor rollups (one row per monitor and hour or day) rather than raw results.
 */
@ApplicationScoped
public class DashboardQueries {

    /** Days in an uptime strip. */
    public static final int STRIP_DAYS = 90;

    private final AgroalDataSource dataSource;

    public DashboardQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** All of an owner's monitors, in id order. */
    public List<MonitorSummary> summaries(long ownerId, Instant now) {
        return summaries("m.owner_id = ?", ownerId, now);
    }

    /** The given monitors (unknown ids are skipped), in id order; callers check ownership or publication. */
    public List<MonitorSummary> summaries(List<Long> monitorIds, Instant now) {
        return monitorIds.isEmpty() ? List.of() : summaries("m.id = any(?)", monitorIds.toArray(Long[]::new), now);
    }

    /** Daily uptime of each monitor over the last {@link #STRIP_DAYS} UTC days, oldest first. */
    public Map<Long, List<Day>> strips(List<Long> monitorIds, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Map<Long, Map<LocalDate, Uptime>> byMonitor = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select monitor_id, bucket, checks, failures from monitor_rollup_day
                where monitor_id = any(?) and bucket >= ? and bucket < ?
                """)) {
            Sql.bind(ps, ids(c, monitorIds.toArray(Long[]::new)), utc(today.minusDays(STRIP_DAYS - 1)), utc(today.plusDays(1)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byMonitor.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(
                            LocalDate.ofInstant(Sql.instant(rs, "bucket"), ZoneOffset.UTC), new Uptime(rs.getLong(3), rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading daily uptime failed", e);
        }
        Map<Long, List<Day>> strips = new LinkedHashMap<>();
        for (Long id : monitorIds) {
            strips.put(id, Day.strip(today, STRIP_DAYS, byMonitor.getOrDefault(id, Map.of())));
        }
        return strips;
    }

    private List<MonitorSummary> summaries(String which, Object param, Instant now) {
        Instant hourStart = now.truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            Object key = param instanceof Long[] a ? ids(c, a) : param;
            record Row(long id, String name, String url, boolean paused, int interval) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select m.id, m.name, m.url, m.paused, m.interval_seconds from monitor m where "
                    + which + " order by m.id")) {
                try (ResultSet rs = Sql.bind(ps, key).executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getInt(5)));
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.of();
            }
            Array ids = ids(c, rows.stream().map(Row::id).toArray(Long[]::new));

            // Latest result per stream; streams silent for three intervals (a removed resolver, a gone region) don't count.
            record Latest(int streams, int failing, Instant last, Integer ms) {
            }
            Map<Long, Latest> latest = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select l.monitor_id, count(*), count(*) filter (where not l.ok), max(l.started_at),
                           round(avg(l.total_ms) filter (where l.ok))::integer
                    from check_latest l join monitor m on m.id = l.monitor_id
                    where l.monitor_id = any(?) and l.started_at > ? - (m.interval_seconds * 3 + 60) * interval '1 second'
                    group by l.monitor_id
                    """)) {
                try (ResultSet rs = Sql.bind(ps, ids, utc(now)).executeQuery()) {
                    while (rs.next()) {
                        latest.put(rs.getLong(1), new Latest(rs.getInt(2), rs.getInt(3), Sql.instant(rs, "max"), Sql.integer(rs, "round")));
                    }
                }
            }

            Map<Long, OpenIncident> availability = new HashMap<>();
            Map<Long, OpenIncident> latency = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, monitor_id, track, kind, status, extent, summary, started_at from incident
                    where monitor_id = any(?) and status <> 'resolved'
                    """)) {
                try (ResultSet rs = Sql.bind(ps, ids).executeQuery()) {
                    while (rs.next()) {
                        OpenIncident i = new OpenIncident(rs.getLong("id"), rs.getString("track"), rs.getString("kind"),
                                rs.getString("status"), rs.getString("extent"), rs.getString("summary"), Sql.instant(rs, "started_at"));
                        (i.track().equals("latency") ? latency : availability).put(rs.getLong("monitor_id"), i);
                    }
                }
            }

            Map<Long, Uptime[]> byDays = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select monitor_id,
                           sum(checks) filter (where bucket >= ?), sum(failures) filter (where bucket >= ?),
                           sum(checks) filter (where bucket >= ?), sum(failures) filter (where bucket >= ?),
                           sum(checks), sum(failures)
                    from monitor_rollup_day where monitor_id = any(?) and bucket >= ? and bucket < ?
                    group by monitor_id
                    """)) {
                Object week = utc(today.minusDays(Period.WEEK.days() - 1));
                Object month = utc(today.minusDays(Period.MONTH.days() - 1));
                Sql.bind(ps, week, week, month, month, ids, utc(today.minusDays(Period.QUARTER.days() - 1)), utc(today.plusDays(1)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byDays.put(rs.getLong(1), new Uptime[] {new Uptime(rs.getLong(2), rs.getLong(3)),
                                new Uptime(rs.getLong(4), rs.getLong(5)), new Uptime(rs.getLong(6), rs.getLong(7))});
                    }
                }
            }

            // The last 24 hours: uptime and one sparkline point per hour (mean of the passing checks).
            Map<Long, long[]> dayTotals = new HashMap<>();
            Map<Long, Integer[]> points = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select monitor_id, bucket, checks, failures, ok_total_ms from monitor_rollup_hour
                    where monitor_id = any(?) and bucket >= ? and bucket <= ?
                    """)) {
                try (ResultSet rs = Sql.bind(ps, ids, utc(hourStart), utc(now)).executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        int checks = rs.getInt(3);
                        int failures = rs.getInt(4);
                        long[] t = dayTotals.computeIfAbsent(id, k -> new long[2]);
                        t[0] += checks;
                        t[1] += failures;
                        int hour = (int) ChronoUnit.HOURS.between(hourStart, Sql.instant(rs, "bucket"));
                        if (hour >= 0 && hour < 24 && checks > failures) {
                            points.computeIfAbsent(id, k -> new Integer[24])[hour] = (int) Math.round(rs.getLong(5) / (double) (checks - failures));
                        }
                    }
                }
            }

            List<MonitorSummary> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                Latest l = latest.getOrDefault(r.id(), new Latest(0, 0, null, null));
                OpenIncident a = availability.get(r.id());
                OpenIncident s = latency.get(r.id());
                Uptime[] d = byDays.getOrDefault(r.id(), new Uptime[] {Uptime.NONE, Uptime.NONE, Uptime.NONE});
                long[] t = dayTotals.getOrDefault(r.id(), new long[2]);
                Integer[] p = points.getOrDefault(r.id(), new Integer[24]);
                out.add(new MonitorSummary(r.id(), r.name(), r.url(), r.paused(), r.interval(),
                        Health.of(r.paused(), a, s, l.streams(), l.failing()), a != null ? a : s, new Uptime(t[0], t[1]),
                        d[0], d[1], d[2], l.ms(), l.last(), new Sparkline(Arrays.asList(p))));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the monitor summaries failed", e);
        }
    }

    private static Array ids(Connection c, Long[] ids) throws SQLException {
        return c.createArrayOf("bigint", ids);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static OffsetDateTime utc(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
