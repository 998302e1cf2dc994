package dev.gatewatch.dashboard.model;

import java.time.Instant;

/**
 * One row of the monitor list (and of a status page): state, open incident, uptime figures and the latest response time.
 *
 * @param visible    the state visitors of a status page see ({@link Health#forVisitors})
 * @param incident   the unresolved availability incident, else the latency one, or null
 * @param latestMs   mean response time of the passing latest checks across streams, or null
 * @param lastCheck  when the newest check started, or null
 */
public record MonitorSummary(long id, String name, String url, boolean paused, int intervalSeconds, Health health,
                             Health visible, OpenIncident incident, Uptime day, Uptime week, Uptime month, Uptime quarter, Integer latestMs,
                             Instant lastCheck, Sparkline sparkline) {

    /** Uptime over a period: 24h, 7d, 30d or 90d. */
    public Uptime uptime(Period period) {
        return switch (period) {
            case DAY -> day;
            case WEEK -> week;
            case MONTH -> month;
            case QUARTER -> quarter;
        };
    }
}
