package dev.gatewatch.dashboard.model;

import java.util.List;

import dev.gatewatch.check.service.Coverage;
import dev.gatewatch.check.service.ResultView;
import dev.gatewatch.dashboard.chart.LineChart;
import dev.gatewatch.dashboard.chart.PhaseBar;

/**
 * Everything the monitor page shows.
 *
 * @param live        the parts htmx refreshes: state and the newest check per stream
 * @param byRegion    response time per region (all resolvers together)
 * @param byResolver  response time per resolver (all regions together)
 * @param recent      the newest checks with their timing breakdown, newest first
 * @param strip       daily uptime, oldest first
 * @param timeline    incidents and episodes, newest first
 */
public record MonitorDetail(Live live, ChartRange range, LineChart byRegion, LineChart byResolver, List<RecentCheck> recent,
                            List<Day> strip, List<TimelineEntry> timeline, List<dev.gatewatch.diagnosis.service.DiagnosisView> diagnoses) {

    /** The refreshed part: the monitor's state, the newest check of every (region, resolver) and silent regions checking it. */
    public record Live(MonitorSummary monitor, StreamGrid streams, Coverage coverage) {
    }

    /** A check with its phases drawn to a common scale (the slowest check shown). */
    public record RecentCheck(ResultView result, PhaseBar bar) {
    }

    public MonitorSummary monitor() {
        return live.monitor();
    }
}
