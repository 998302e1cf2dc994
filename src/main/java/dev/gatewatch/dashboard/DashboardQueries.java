package dev.gatewatch.dashboard;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;
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

    private static final int MAX_CACHED = 200_000;

    private final AgroalDataSource dataSource;
    private final Duration cacheFor;
    private final Map<Long, PastRollups> past = new ConcurrentHashMap<>();

    public DashboardQueries(AgroalDataSource dataSource, GatewatchConfig config) {
        this.dataSource = dataSource;
        this.cacheFor = config.web().historyCache();
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
        Map<Long, List<Day>> strips = new LinkedHashMap<>();
        withHistory(monitorIds, now, (id, past, today, hour) -> {
            List<Day> days = new ArrayList<>(STRIP_DAYS);
            for (int i = 0; i < PastRollups.DAYS; i++) {
                days.add(past.day(i));
            }
            days.add(new Day(past.today, today.uptime()));
            strips.put(id, days);
        });
        return strips;
    }

    /** The strip cells of each monitor as HTML ({@link Day#cells}), the completed days' part built once per cache load. */
    public Map<Long, String> stripCells(List<Long> monitorIds, Instant now) {
        Map<Long, String> cells = new HashMap<>();
        withHistory(monitorIds, now, (id, past, today, hour) ->
                cells.put(id, past.cells() + Day.cells(List.of(new Day(past.today, today.uptime())))));
        return cells;
    }

    /** The current (incomplete) day's or hour's figures of one monitor. */
    private record Current(long checks, long failures, long okMs) {
        static final Current NONE = new Current(0, 0, 0);

        Uptime uptime() {
            return new Uptime(checks, failures);
        }

        Integer meanMs() {
            long ok = checks - failures;
            return ok <= 0 ? null : (int) Math.round(okMs / (double) ok);
        }
    }

    private interface HistoryRow {
        void accept(long monitorId, PastRollups past, Current today, Current hour);
    }

    /** Cached completed days and hours plus the current day and hour read now, per monitor. */
    private void withHistory(List<Long> ids, Instant now, HistoryRow row) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant fresh = now.minus(cacheFor);
        List<Long> stale = ids.stream().filter(id -> {
            PastRollups p = past.get(id);
            return p == null || !p.current(today, hour, fresh);
        }).toList();
        Map<Long, Current> days = new HashMap<>();
        Map<Long, Current> hours = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            if (!stale.isEmpty()) {
                load(c, stale, today, hour, now);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    select monitor_id, true, checks, failures, ok_total_ms from monitor_rollup_day where bucket = ? and monitor_id = any(?)
                    union all
                    select monitor_id, false, checks, failures, ok_total_ms from monitor_rollup_hour where bucket = ? and monitor_id = any(?)
                    """)) {
                Array a = ids(c, ids.toArray(Long[]::new));
                try (ResultSet rs = Sql.bind(ps, utc(today), a, utc(hour), a).executeQuery()) {
                    while (rs.next()) {
                        (rs.getBoolean(2) ? days : hours).put(rs.getLong(1), new Current(rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading uptime history failed", e);
        }
        for (Long id : ids) {
            row.accept(id, past.get(id), days.getOrDefault(id, Current.NONE), hours.getOrDefault(id, Current.NONE));
        }
    }

    private void load(Connection c, List<Long> ids, LocalDate today, Instant hour, Instant now) throws SQLException {
        Map<Long, PastRollups> loaded = new HashMap<>();
        for (Long id : ids) {
            loaded.put(id, new PastRollups(today, hour, now));
        }
        Array a = ids(c, ids.toArray(Long[]::new));
        try (PreparedStatement ps = c.prepareStatement("""
                select d.monitor_id, d.bucket, d.checks, d.failures from monitor_rollup_day d join unnest(?::bigint[]) u(id) on u.id = d.monitor_id
                where d.bucket >= ? and d.bucket < ?
                """)) {
            try (ResultSet rs = Sql.bind(ps, a, utc(today.minusDays(PastRollups.DAYS)), utc(today)).executeQuery()) {
                while (rs.next()) {
                    PastRollups p = loaded.get(rs.getLong(1));
                    int i = PastRollups.DAYS - (int) ChronoUnit.DAYS.between(LocalDate.ofInstant(Sql.instant(rs, "bucket"), ZoneOffset.UTC), today);
                    p.dayChecks[i] = rs.getLong(3);
                    p.dayFailures[i] = rs.getLong(4);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select h.monitor_id, h.bucket, h.checks, h.failures, h.ok_total_ms from monitor_rollup_hour h
                join unnest(?::bigint[]) u(id) on u.id = h.monitor_id where h.bucket >= ? and h.bucket < ?
                """)) {
            try (ResultSet rs = Sql.bind(ps, a, utc(hour.minus(PastRollups.HOURS, ChronoUnit.HOURS)), utc(hour)).executeQuery()) {
                while (rs.next()) {
                    PastRollups p = loaded.get(rs.getLong(1));
                    int i = PastRollups.HOURS - (int) ChronoUnit.HOURS.between(Sql.instant(rs, "bucket"), hour);
                    p.hourChecks[i] = rs.getLong(3);
                    p.hourFailures[i] = rs.getLong(4);
                    p.hourOkMs[i] = rs.getLong(5);
                }
            }
        }
        if (past.size() > MAX_CACHED) {
            past.clear(); // crude, but only on installations with more monitors than the cache holds
        }
        past.putAll(loaded);
    }

    private List<MonitorSummary> summaries(String which, Object param, Instant now) {
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

            Map<Long, MonitorSummary> out = new LinkedHashMap<>();
            Map<Long, Row> byId = new HashMap<>();
            rows.forEach(r -> byId.put(r.id(), r));
            c.close(); // the history has its own connection; don't hold two
            withHistory(rows.stream().map(Row::id).toList(), now, (id, p, day, hour) -> {
                Row r = byId.get(id);
                Latest l = latest.getOrDefault(id, new Latest(0, 0, null, null));
                OpenIncident a = availability.get(id);
                OpenIncident s = latency.get(id);
                Uptime today = day.uptime();
                Integer[] points = new Integer[PastRollups.HOURS + 1];
                for (int i = 0; i < PastRollups.HOURS; i++) {
                    points[i] = p.hourMeanMs(i);
                }
                points[PastRollups.HOURS] = hour.meanMs();
                out.put(id, new MonitorSummary(id, r.name(), r.url(), r.paused(), r.interval(),
                        Health.of(r.paused(), a, s, l.streams(), l.failing()), Health.forVisitors(r.paused(), a, s, l.streams(), l.failing()),
                        a != null ? a : s, p.hours().plus(hour.uptime()),
                        p.days(Period.WEEK.days() - 1).plus(today), p.days(Period.MONTH.days() - 1).plus(today),
                        p.days(Period.QUARTER.days() - 1).plus(today), l.ms(), l.last(), new Sparkline(Arrays.asList(points))));
            });
            return new ArrayList<>(out.values());
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
