package dev.gatewatch.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.account.OwnedMonitors;
import dev.gatewatch.analysis.service.DeploymentService;
import dev.gatewatch.diagnosis.service.DiagnosisService;
import dev.gatewatch.analysis.service.DeploymentView;
import dev.gatewatch.analysis.service.IncidentQueries;
import dev.gatewatch.analysis.service.IncidentView;
import dev.gatewatch.api.Sql;
import dev.gatewatch.check.service.CheckQueries;
import dev.gatewatch.check.service.ResultView;
import dev.gatewatch.dashboard.chart.Band;
import dev.gatewatch.dashboard.chart.LineChart;
import dev.gatewatch.dashboard.chart.Marker;
import dev.gatewatch.dashboard.chart.PhaseBar;
import dev.gatewatch.dashboard.chart.Point;
import dev.gatewatch.dashboard.chart.Series;
import dev.gatewatch.dashboard.model.Times;
import dev.gatewatch.dashboard.model.ChartRange;
import dev.gatewatch.dashboard.model.MonitorDetail;
import dev.gatewatch.dashboard.model.MonitorSummary;
import dev.gatewatch.dashboard.model.StreamGrid;
import dev.gatewatch.dashboard.model.TimelineEntry;
import io.agroal.api.AgroalDataSource;

/**
 * The read side of one monitor's page: a fixed handful of bounded queries whatever the monitor's history, reading
 * rollups binned in SQL for the charts, and the existing check, incident and deployment queries for the rest.
 */
@ApplicationScoped
public class MonitorDetails {

    /** Newest checks in the timing breakdown. */
    static final int RECENT_CHECKS = 20;
    /** Incidents and episodes on the timeline (and as chart bands). */
    static final int TIMELINE_LIMIT = 50;
    static final Duration TIMELINE_SPAN = Duration.ofDays(90);
    /** Deployment markers looked at for the charts (newest first). */
    static final int DEPLOYMENT_LIMIT = 200;

    private final AgroalDataSource dataSource;
    private final DashboardQueries dashboard;
    private final CheckQueries checks;
    private final IncidentQueries incidents;
    /** The newest diagnoses listed beside the incidents. */
    private static final int DIAGNOSES_SHOWN = 10;

    private final DeploymentService deployments;
    private final DiagnosisService diagnoses;

    public MonitorDetails(AgroalDataSource dataSource, DashboardQueries dashboard, CheckQueries checks, IncidentQueries incidents,
            DeploymentService deployments, DiagnosisService diagnoses) {
        this.diagnoses = diagnoses;
        this.dataSource = dataSource;
        this.dashboard = dashboard;
        this.checks = checks;
        this.incidents = incidents;
        this.deployments = deployments;
    }

    /** The state and newest check per stream (404 unless the owner's). */
    public MonitorDetail.Live live(long ownerId, long monitorId, Instant now) {
        requireOwned(ownerId, monitorId);
        MonitorSummary summary = dashboard.summaries(List.of(monitorId), now).get(0);
        return new MonitorDetail.Live(summary, StreamGrid.of(checks.latest(ownerId, monitorId)), checks.coverage(ownerId, monitorId));
    }

    /** The whole page (404 unless the owner's). */
    public MonitorDetail page(long ownerId, long monitorId, ChartRange range, Instant now) {
        MonitorDetail.Live live = live(ownerId, monitorId, now);
        List<IncidentView> found = incidents.list(ownerId, monitorId, null, null, now.minus(TIMELINE_SPAN).toString(), null, TIMELINE_LIMIT);
        Map<Long, List<IncidentView.EventView>> events = events(found.stream().map(IncidentView::id).toList());
        List<TimelineEntry> timeline = found.stream().map(i -> TimelineEntry.of(i, events.get(i.id()))).toList();

        Instant from = range.from(now);
        List<Marker> markers = deployments.list(ownerId, monitorId, DEPLOYMENT_LIMIT).stream()
                .filter(d -> !d.startedAt().isBefore(from)).map(MonitorDetails::marker).toList();
        List<Band> bands = timeline.stream().map(e -> band(e, now)).toList();
        Duration maxGap = max(range.bin(), Duration.ofSeconds(live.monitor().intervalSeconds())).multipliedBy(2);
        Map<Boolean, List<Series>> series = series(monitorId, range, from, now);
        LineChart byRegion = new LineChart("Response time per region", "ms", from, now, range.bin(), maxGap, series.get(false), markers, bands);
        LineChart byResolver = new LineChart("Response time per resolver", "ms", from, now, range.bin(), maxGap, series.get(true), markers, bands);

        List<ResultView> results = checks.results(ownerId, monitorId, null, null, null, null, RECENT_CHECKS);
        int scale = results.stream().mapToInt(r -> r.timings().totalMs()).max().orElse(1);
        List<MonitorDetail.RecentCheck> recent = results.stream().map(r -> new MonitorDetail.RecentCheck(r, PhaseBar.of(r.timings().dnsMs(),
                r.timings().connectMs(), r.timings().tlsMs(), r.timings().ttfbMs(), r.timings().downloadMs(), r.timings().totalMs(), scale)))
                .toList();

        return new MonitorDetail(live, range, byRegion, byResolver, recent, dashboard.strips(List.of(monitorId), now).get(monitorId), timeline,
                diagnoses.history(ownerId, monitorId, DIAGNOSES_SHOWN));
    }

    /**
     * Mean response time of the passing checks per region and per resolver, binned in SQL to the range's bin (one
     * query, two grouping sets). The tooltip's p95 is the highest p95 of the rollups merged into a point, an upper
     * bound of theirs together: merging the histograms instead (gw_hist_sum) took 0.6–0.9 s for 9 streams over a day
     * or 90 days, against 20 ms. Key true: the resolver series.
     */
    private Map<Boolean, List<Series>> series(long monitorId, ChartRange range, Instant from, Instant to) {
        Map<Boolean, Map<String, List<Point>>> out = Map.of(false, new LinkedHashMap<>(), true, new LinkedHashMap<>());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select t, grouping(region) = 1 as by_resolver, coalesce(region, resolver) as name, sum(checks) as checks,
                       sum(failures) as failures, sum(ok_total_ms) as ok_ms, max(p95_ms) as p95
                from (select date_bin(? * interval '1 second', bucket, timestamptz '1970-01-01 00:00:00+00') as t,
                             region, resolver, checks, failures, ok_total_ms, p95_ms
                      from %s where monitor_id = ? and bucket >= ? and bucket <= ?) r
                group by grouping sets ((t, region), (t, resolver))
                order by by_resolver, name, t
                """.formatted(range.table()))) {
            Sql.bind(ps, range.bin().toSeconds(), monitorId, utc(from), utc(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Point> points = out.get(rs.getBoolean("by_resolver")).computeIfAbsent(rs.getString("name"), k -> new ArrayList<>());
                    long checks = rs.getLong("checks");
                    long failures = rs.getLong("failures");
                    if (checks > failures) { // a bin where every check failed has no response time: a gap
                        Integer p95 = Sql.integer(rs, "p95");
                        points.add(new Point(Sql.instant(rs, "t"), (int) Math.round(rs.getLong("ok_ms") / (double) (checks - failures)),
                                (p95 == null ? "" : "p95 ≤ " + p95 + " ms, ") + checks + (checks == 1 ? " check" : " checks")
                                        + (failures > 0 ? ", " + failures + " failed" : "")));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the response-time rollups of monitor " + monitorId + " failed", e);
        }
        Map<Boolean, List<Series>> series = new HashMap<>();
        out.forEach((byResolver, named) -> series.put(byResolver, named.entrySet().stream().map(e -> new Series(e.getKey(), e.getValue())).toList()));
        return series;
    }

    /** The events of the listed incidents, in order, in one query. */
    private Map<Long, List<IncidentView.EventView>> events(List<Long> incidentIds) {
        Map<Long, List<IncidentView.EventView>> out = new HashMap<>();
        if (incidentIds.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select incident_id, type, kind, at, summary from incident_event where incident_id = any(?) order by incident_id, id
                """)) {
            ps.setArray(1, c.createArrayOf("bigint", incidentIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new IncidentView.EventView(rs.getString("type"),
                            rs.getString("kind"), Sql.instant(rs, "at"), rs.getString("summary")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading incident events failed", e);
        }
        return out;
    }

    private void requireOwned(long ownerId, long monitorId) {
        try (Connection c = dataSource.getConnection()) {
            OwnedMonitors.requireOwned(c, ownerId, monitorId);
        } catch (SQLException e) {
            throw new IllegalStateException("reading monitor " + monitorId + " failed", e);
        }
    }

    static Marker marker(DeploymentView d) {
        String label = d.version() != null ? d.version() : d.description() != null ? d.description() : "deploy " + d.id();
        StringBuilder title = new StringBuilder("Deployment");
        if (d.version() != null) {
            title.append(' ').append(d.version());
        }
        if (d.description() != null) {
            title.append(": ").append(d.description());
        }
        title.append(", started ").append(Times.utc(d.startedAt()));
        if (d.endedAt() != null) {
            title.append(", ended ").append(Times.utc(d.endedAt()));
        }
        return new Marker(d.startedAt(), label.length() > 24 ? label.substring(0, 23) + "…" : label, title.toString());
    }

    static Band band(TimelineEntry e, Instant now) {
        return new Band(e.startedAt(), e.resolvedAt() != null ? e.resolvedAt() : now, e.severe(),
                e.classification() + (e.open() ? " (ongoing)" : "") + ", " + e.lasted() + ": " + e.summary());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
