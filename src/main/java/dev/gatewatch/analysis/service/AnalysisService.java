package dev.gatewatch.analysis.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.analysis.Analyzer;
import dev.gatewatch.analysis.model.Classification;
import dev.gatewatch.analysis.model.Context;
import dev.gatewatch.analysis.model.Deployment;
import dev.gatewatch.analysis.model.Episode;
import dev.gatewatch.analysis.model.Event;
import dev.gatewatch.analysis.model.MonitorState;
import dev.gatewatch.analysis.model.Phase;
import dev.gatewatch.analysis.model.Policy;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.analysis.model.Settings;
import dev.gatewatch.analysis.model.StreamState;
import dev.gatewatch.api.FaultLog;
import dev.gatewatch.api.Sql;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.FastConfirmation;
import dev.gatewatch.check.LiveRegions;
import dev.gatewatch.check.cdn.ErrorSource;
import dev.gatewatch.config.GatewatchConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;

/**
 * The analyzer role: the only I/O around the pure {@link Analyzer}. Every tick it claims monitors with new results (or
 * with something going on) using {@code FOR UPDATE SKIP LOCKED} on their {@code analysis_state} row, so exactly one
 * analyzer in the cluster evaluates a monitor at a time; in the same transaction it stores the new state, the incidents
 * and their events, and switches fast confirmation on or off.
 */
@ApplicationScoped
public class AnalysisService {

    private static final Logger LOG = Logger.getLogger(AnalysisService.class);

    private static final String ENSURE_ROWS = """
            insert into analysis_state (monitor_id)
            select m.id from monitor m where not exists (select 1 from analysis_state s where s.monitor_id = m.id)
            on conflict do nothing
            """;

    /** The same for the monitors a pass heard of (a new monitor's first results come with a notice). */
    private static final String ENSURE_HEARD_ROWS = """
            insert into analysis_state (monitor_id)
            select m.id from monitor m where m.id = any(?) on conflict do nothing
            """;

    /**
     * The monitors to judge among those named (by the result writers' notices, or by {@link #WITH_NEW}), plus those
     * with something going on (active, from their partial index); both are looked up by key, so a claim costs what it
     * names rather than a scan of every monitor's state (which it did as an {@code active or ... in (...)} filter).
     */
    /**
     * Locks the next monitors to judge, oldest verdict first. Narrow rows only: sorting the candidates with their
     * states (a few KB each) cost 50 ms a call at 2,000 candidates (auto_explain in the bench). The candidates are the
     * monitors given, and with the flag the active ones.
     */
    private static final String CLAIM = """
            select s.monitor_id
            from analysis_state s join monitor m on m.id = s.monitor_id
            where not m.paused and s.analyzed_at < ?
              and s.monitor_id = any(array(select unnest(?::bigint[]) union select a.monitor_id from analysis_state a where ? and a.active))
            order by s.analyzed_at
            limit ?
            for update of s skip locked
            """;

    /** The claimed monitors' states and policies, read after the lock so that they are the latest committed. */
    private static final String CLAIMED = """
            select s.monitor_id, s.state::text, m.owner_id, m.confirmation_window_seconds, m.success_threshold,
                   m.max_response_time_ms, m.interval_seconds, m.quick_confirmation, s.last_result_id,
                   (select max(l.result_id) from check_latest l where l.monitor_id = s.monitor_id) as newest
            from analysis_state s join monitor m on m.id = s.monitor_id
            where s.monitor_id = any(?)
            """;

    /** Every monitor with results newer than its state has seen: one pass over all latest results (the full scan). */
    private static final String WITH_NEW = """
            select s.monitor_id from analysis_state s
            join (select monitor_id, max(result_id) as newest from check_latest group by monitor_id) l on l.monitor_id = s.monitor_id
            where l.newest > s.last_result_id
            """;

    private static final String SAMPLES = """
            select r.id, r.monitor_id, r.region, r.resolver, r.started_at, r.ok, r.status, r.error_class, r.total_ms,
                   r.dns_ms, r.connect_ms, r.ttfb_ms, r.resolved_ip, r.cdn_provider, r.cdn_pop, r.error_source,
                   r.error_generator
            from check_result_full r join unnest(?::bigint[], ?::timestamptz[]) as t(m, since)
              on r.monitor_id = t.m and r.started_at > t.since
            where r.started_at > ?
            """;

    private static final String DEPLOYMENTS = """
            select dm.monitor_id, d.id, d.started_at, d.ended_at, d.expected_seconds
            from deployment d join deployment_monitor dm on dm.deployment_id = d.id
            where dm.monitor_id = any(?) and d.started_at > now() - interval '2 days' and d.started_at <= now()
            """;

    /** A tick this long means verdicts come late: worth a line in the log. */
    private static final Duration SLOW_TICK = Duration.ofSeconds(5);

    private final AgroalDataSource dataSource;
    private final GatewatchConfig config;
    private final ObjectMapper json;
    private final Analyzer analyzer;
    private final Timer ticks;
    private final Timer lag;
    private final Counter evaluated;
    private final Counter setAside;
    private final Map<Long, Instant> setAsideLogged = new java.util.concurrent.ConcurrentHashMap<>();
    private final FaultLog faults;
    private final FaultLog pace;
    private volatile Instant lastPass = Instant.now();
    private Set<String> lastLive;
    private final Set<String> wentSilent = new HashSet<>();
    private final ResultListener listener;

    public AnalysisService(AgroalDataSource dataSource, GatewatchConfig config, ObjectMapper json, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.config = config;
        this.json = json;
        this.faults = new FaultLog(LOG, "analysis").counted(metrics, "analyzer");
        this.pace = new FaultLog(LOG, "analysis pace").counted(metrics, "analyzer_slow_pass");
        this.ticks = Timer.builder("gatewatch.analyzer.tick").description("One analyzer pass over the monitors that need judging")
                .register(metrics);
        this.lag = Timer.builder("gatewatch.analyzer.lag")
                .description("Per evaluated monitor: from the end of its oldest check not judged before to the verdict")
                .publishPercentiles(0.5, 0.99).register(metrics);
        if (config.roles().contains(GatewatchConfig.Role.analyzer)) {
            Gauge.builder("gatewatch.analyzer.pass.age", this, a -> Duration.between(a.lastPass, Instant.now()).toMillis() / 1000.0)
                    .baseUnit("seconds").description("Time since the analyzer last finished a pass over the monitors (readiness is"
                            + " DOWN past gatewatch.health.judge-stall)").register(metrics);
        }
        this.evaluated = Counter.builder("gatewatch.analyzer.monitors").description("Monitor evaluations").register(metrics);
        this.setAside = Counter.builder("gatewatch.analyzer.set.aside")
                .description("Monitor evaluations that failed on their data and were set aside until newer results").register(metrics);
        this.listener = config.roles().contains(GatewatchConfig.Role.analyzer)
                ? new ResultListener(dataSource, config.analyzer().fullScanInterval()) : null;
        var a = config.analyzer();
        this.analyzer = new Analyzer(new Settings(a.flapChanges(), a.flapSpan(), a.flapQuiet(), a.deployLimit(), a.evidenceSamples()));
    }

    @Scheduled(every = "${gatewatch.analyzer.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.roles().contains(GatewatchConfig.Role.analyzer)) {
            return;
        }
        try {
            tick();
            faults.recovered(null);
        } catch (SQLException | RuntimeException e) {
            faults.failed("a pass failed, retrying every tick: " + e);
        }
    }

    @PreDestroy
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    /** When the last pass over the monitors finished (it judges whatever new results there are). */
    public Instant lastPass() {
        return lastPass;
    }

    /** One pass over every monitor that needs judging; returns how many were evaluated. */
    public int tick() throws SQLException {
        long started = System.nanoTime();
        int total = pass();
        lastPass = Instant.now();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        ticks.record(took);
        evaluated.increment(total);
        if (took.compareTo(SLOW_TICK) > 0) {
            pace.failed(String.format(java.util.Locale.ROOT, "falling behind: one pass took %.1f s for %d monitors", took.toMillis() / 1000.0, total));
        } else {
            pace.recovered(null);
        }
        return total;
    }

    private int pass() throws SQLException {
        Instant tickStart;
        Set<String> live;
        ResultListener.Work work = listener == null ? new ResultListener.Work(true, Set.of()) : listener.next(Instant.now());
        Long[] heard = work.monitors().toArray(Long[]::new);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(work.everything() ? ENSURE_ROWS : ENSURE_HEARD_ROWS)) {
                if (!work.everything()) {
                    ps.setArray(1, c.createArrayOf("bigint", heard));
                }
                ps.executeUpdate();
            }
            if (work.everything()) {
                heard = withNewResults(c);
            }
            tickStart = dbNow(c);
            live = liveRegions(c);
        }
        tellRegionChanges(live);
        // The active monitors first, then the ones heard of a batch at a time: offering every heard monitor to every
        // batch made a pass quadratic (268 ms a claim with 85,000 heard, 100,000 monitors in the bench).
        int size = config.analyzer().batchSize();
        int total = 0;
        int n;
        do {
            n = batch(tickStart, live, new Long[0], true);
            total += n;
        } while (n == size);
        for (int from = 0; from < heard.length; from += size) {
            total += batch(tickStart, live, Arrays.copyOfRange(heard, from, Math.min(heard.length, from + size)), false);
        }
        return total;
    }

    private static Long[] withNewResults(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(WITH_NEW); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids.toArray(Long[]::new);
    }

    /** Operators are told, once, when a region goes silent (its checks then count as no data) and when it is back. */
    private synchronized void tellRegionChanges(Set<String> live) {
        if (lastLive != null) {
            for (String region : lastLive) {
                if (!live.contains(region)) {
                    wentSilent.add(region);
                    LOG.warnf("region %s went silent: no checker heartbeat for %s; its checks count as no data until it is back",
                            region, config.checker().nodeTimeout());
                }
            }
            for (String region : live) {
                if (!lastLive.contains(region)) {
                    LOG.infof(wentSilent.contains(region) ? "region %s is live again" : "region %s is live", region);
                }
            }
        }
        lastLive = Set.copyOf(live);
    }

    private Set<String> liveRegions(Connection c) throws SQLException {
        return new HashSet<>(LiveRegions.of(c, config.checker().nodeTimeout()));
    }

    /** @param seen the newest result id judged before; @param newest the newest there is now */
    private record Claimed(long monitorId, long ownerId, MonitorState state, Policy policy, long seen, long newest) {
    }

    /** @param heard monitors to look at (at most a batch); @param active whether the active ones are looked at too */
    private int batch(Instant tickStart, Set<String> live, Long[] heard, boolean active) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Claimed> claimed = claim(c, tickStart, heard, active);
                // Monitor order: the schedule rows fast confirmation updates are then locked in the order the result
                // writer locks them, so the two wait for each other instead of deadlocking.
                claimed.sort(java.util.Comparator.comparingLong(Claimed::monitorId));
                if (!claimed.isEmpty()) {
                    // now() is fixed for the transaction: read once, used for every monitor of the batch.
                    Instant now = dbNow(c);
                    Map<Long, List<Sample>> samples = samples(c, claimed, now);
                    Map<Long, List<Deployment>> deployments = deployments(c, claimed);
                    List<Judged> quiet = new ArrayList<>();
                    for (Claimed m : claimed) {
                        List<Sample> mine = samples.getOrDefault(m.monitorId(), List.of());
                        recordLag(m, mine, now);
                        Analyzer.Step step;
                        try {
                            step = analyzer.step(m.state(), m.policy(), mine,
                                    new Context(now, live, deployments.getOrDefault(m.monitorId(), List.of())));
                        } catch (RuntimeException e) {
                            setAside(c, m, e);
                            continue;
                        }
                        if (quiet(m, step)) {
                            quiet.add(new Judged(m, step.state())); // nothing but its state to store: with the others, below
                        } else {
                            isolated(c, m, x -> save(x, List.of(new Judged(m, record(x, m, step))), now));
                        }
                    }
                    saveQuiet(c, quiet, now);
                }
                c.commit();
                return claimed.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * One monitor's results or state that cannot be judged or stored (a data error, or the analyzer failing on them):
     * marked as seen, so they are not retried every tick and the others go on; judged again when newer results come.
     */
    private void setAside(Connection c, Claimed m, Exception cause) throws SQLException {
        setAside.increment();
        Instant last = setAsideLogged.get(m.monitorId());
        if (last == null || last.isBefore(Instant.now().minus(Duration.ofMinutes(10)))) {
            setAsideLogged.put(m.monitorId(), Instant.now());
            LOG.warnf("analysis of monitor %d failed on its results up to id %d (%s); set aside until newer results come",
                    m.monitorId(), m.newest(), cause.toString());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update analysis_state set last_result_id = greatest(last_result_id, ?), active = false, analyzed_at = now()
                where monitor_id = ?
                """)) {
            ps.setLong(1, m.newest());
            ps.setLong(2, m.monitorId());
            ps.executeUpdate();
        }
    }

    /** From the end of the oldest check this monitor's state had not seen to now, the verdict's time. */
    private void recordLag(Claimed m, List<Sample> samples, Instant now) {
        samples.stream().filter(x -> x.resultId() > m.seen()).map(x -> x.at().plusMillis(x.totalMs())).min(Instant::compareTo)
                // a result that ended after this pass began (it is judged in it) waited no time
                .ifPresent(oldest -> lag.record(oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now)));
    }

    private List<Claimed> claim(Connection c, Instant tickStart, Long[] heard, boolean active) throws SQLException {
        List<Claimed> claimed = new ArrayList<>();
        List<Long> locked = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setObject(1, OffsetDateTime.ofInstant(tickStart, java.time.ZoneOffset.UTC));
            ps.setArray(2, c.createArrayOf("bigint", heard));
            ps.setBoolean(3, active);
            ps.setInt(4, config.analyzer().batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    locked.add(rs.getLong(1));
                }
            }
        }
        if (locked.isEmpty()) {
            return claimed;
        }
        try (PreparedStatement ps = c.prepareStatement(CLAIMED)) {
            ps.setArray(1, c.createArrayOf("bigint", locked.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String text = rs.getString("state");
                    MonitorState state = text == null ? MonitorState.initial() : read(text);
                    Integer max = Sql.integer(rs, "max_response_time_ms");
                    claimed.add(new Claimed(rs.getLong("monitor_id"), rs.getLong("owner_id"), state,
                            new Policy(Duration.ofSeconds(rs.getInt("confirmation_window_seconds")), rs.getInt("success_threshold"),
                                    max, Duration.ofSeconds(rs.getInt("interval_seconds")), rs.getBoolean("quick_confirmation")),
                            rs.getLong("last_result_id"), rs.getLong("newest")));
                }
            }
        }
        return claimed;
    }

    /** Results newer than what each monitor's state has seen (bounded by the lookback for new or long-idle streams). */
    private Map<Long, List<Sample>> samples(Connection c, List<Claimed> claimed, Instant now) throws SQLException {
        Instant floor = now.minus(config.analyzer().lookback());
        Long[] ids = new Long[claimed.size()];
        String[] since = new String[claimed.size()];
        for (int i = 0; i < claimed.size(); i++) {
            Claimed m = claimed.get(i);
            ids[i] = m.monitorId();
            Instant s = m.state().streams().values().stream().map(x -> x.latest().at()).min(Instant::compareTo).orElse(floor);
            since[i] = (s.isBefore(floor) ? floor : s).toString();
        }
        Map<Long, List<Sample>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SAMPLES)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("text", since));
            ps.setObject(3, OffsetDateTime.ofInstant(floor, java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String ec = rs.getString("error_class");
                    String src = rs.getString("error_source");
                    out.computeIfAbsent(rs.getLong("monitor_id"), k -> new ArrayList<>()).add(new Sample(rs.getLong("id"),
                            rs.getString("region"), rs.getString("resolver"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                            rs.getBoolean("ok"), Sql.integer(rs, "status"), ec == null ? null : ErrorClass.valueOf(ec.toUpperCase(java.util.Locale.ROOT)),
                            rs.getInt("total_ms"), Sql.integer(rs, "dns_ms"), Sql.integer(rs, "connect_ms"), Sql.integer(rs, "ttfb_ms"),
                            rs.getString("resolved_ip"), rs.getString("cdn_provider"), rs.getString("cdn_pop"),
                            src == null ? ErrorSource.NONE : ErrorSource.valueOf(src.toUpperCase(java.util.Locale.ROOT)),
                            rs.getString("error_generator")));
                }
            }
        }
        return out;
    }

    private Map<Long, List<Deployment>> deployments(Connection c, List<Claimed> claimed) throws SQLException {
        Map<Long, List<Deployment>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(DEPLOYMENTS)) {
            ps.setArray(1, c.createArrayOf("bigint", claimed.stream().map(Claimed::monitorId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime end = rs.getObject("ended_at", OffsetDateTime.class);
                    Integer expected = Sql.integer(rs, "expected_seconds");
                    out.computeIfAbsent(rs.getLong("monitor_id"), k -> new ArrayList<>()).add(new Deployment(rs.getLong("id"),
                            rs.getObject("started_at", OffsetDateTime.class).toInstant(), end == null ? null : end.toInstant(),
                            expected == null ? null : Duration.ofSeconds(expected)));
                }
            }
        }
        return out;
    }

    /**
     * Stores the step's events as incident rows and events, and returns the new state with the incident ids filled in.
     * The core's events carry no ids; the open episode's incident is followed through the events in order.
     */
    private MonitorState record(Connection c, Claimed m, Analyzer.Step step) throws SQLException {
        Long availability = m.state().episode() == null ? null : m.state().episode().incidentId();
        Long latency = m.state().degraded() == null ? null : m.state().degraded().incidentId();
        for (Event e : step.events()) {
            boolean isLatency = e.episode().kind() == Classification.DEGRADED;
            Long id = isLatency ? latency : availability;
            String status = switch (e.type()) {
                case SUSPECTED -> "suspected";
                case OPENED, ESCALATED -> "open";
                case CLEARED, RECOVERED -> "resolved";
            };
            id = id == null ? insertIncident(c, m, e.episode(), status, isLatency) : updateIncident(c, id, e.episode(), status);
            insertEvent(c, id, e);
            if (e.type() == Event.Type.OPENED && e.episode().kind() == Classification.FLAPPING) {
                foldIntoFlapping(c, m.monitorId(), id, e.episode().start());
            }
            boolean closed = e.type() == Event.Type.CLEARED || e.type() == Event.Type.RECOVERED;
            if (isLatency) {
                latency = closed ? null : id;
            } else {
                availability = closed ? null : id;
            }
        }
        MonitorState s = step.state();
        Episode episode = s.episode() == null ? null : s.episode().withIncidentId(availability);
        Episode degraded = s.degraded() == null ? null : s.degraded().withIncidentId(latency);
        // Evidence and scope grow between events: keep the stored incidents current, writing only what changed.
        if (availability != null && !episode.equals(m.state().episode())
                && step.events().stream().noneMatch(e -> e.episode().kind() != Classification.DEGRADED)) {
            updateIncident(c, availability, episode, s.phase() == Phase.SUSPECT ? "suspected" : "open");
        }
        if (latency != null && !degraded.equals(m.state().degraded())
                && step.events().stream().noneMatch(e -> e.episode().kind() == Classification.DEGRADED)) {
            updateIncident(c, latency, degraded, "open");
        }
        var a = config.analyzer();
        Duration every = Analyzer.recheckEvery(s, m.policy(), a.fastInterval(), a.preciseInterval());
        if (every != null) {
            FastConfirmation.hurry(c, m.monitorId(), every, a.fastInterval().multipliedBy(3).plus(a.interval().multipliedBy(5)));
        } else if (m.state().hurry()) {
            FastConfirmation.relax(c, m.monitorId());
        }
        return s.withEpisodes(episode, degraded);
    }

    /**
     * The short failures of a flapping spell that cleared before the spell was recognised belong to it, not to the deploy
     * blips: they are removed (the flapping incident starts at the spell's first change and covers them).
     */
    private static void foldIntoFlapping(Connection c, long monitorId, long flappingId, Instant spellStart) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                delete from incident where monitor_id = ? and id <> ? and track = 'availability' and status = 'resolved'
                  and kind in ('deploy_blip', 'transient') and started_at >= ?""")) {
            ps.setLong(1, monitorId);
            ps.setLong(2, flappingId);
            ps.setObject(3, java.time.OffsetDateTime.ofInstant(spellStart, java.time.ZoneOffset.UTC));
            int folded = ps.executeUpdate();
            if (folded > 0) {
                LOG.debugf("monitor %d: %d short failures folded into flapping incident %d", monitorId, folded, flappingId);
            }
        }
    }

    private long insertIncident(Connection c, Claimed m, Episode e, String status, boolean latency) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into incident (monitor_id, owner_id, track, kind, status, started_at, confirmed_at, resolved_at, extent,
                    summary, scope, evidence, explanation, deployment_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?)
                on conflict (monitor_id, track) where status <> 'resolved' do update set kind = excluded.kind,
                    status = excluded.status, confirmed_at = coalesce(incident.confirmed_at, excluded.confirmed_at),
                    resolved_at = excluded.resolved_at, extent = excluded.extent, summary = excluded.summary,
                    scope = excluded.scope, evidence = excluded.evidence, explanation = excluded.explanation,
                    deployment_id = excluded.deployment_id, updated_at = now()
                returning id
                """)) {
            // An unresolved incident the state does not know (state lost or reset) is taken over, never duplicated.
            ps.setLong(1, m.monitorId());
            ps.setLong(2, m.ownerId());
            ps.setString(3, latency ? "latency" : "availability");
            fill(ps, 4, e, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long updateIncident(Connection c, long id, Episode e, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update incident set kind = ?, status = ?, started_at = ?, confirmed_at = ?, resolved_at = ?, extent = ?,
                    summary = ?, scope = ?::jsonb, evidence = ?::jsonb, explanation = ?::jsonb, deployment_id = ?,
                    updated_at = now()
                where id = ?
                """)) {
            fill(ps, 1, e, status);
            ps.setLong(12, id);
            ps.executeUpdate();
        }
        return id;
    }

    /** Sets kind … deployment_id (11 parameters) from {@code first}. */
    private void fill(PreparedStatement ps, int first, Episode e, String status) throws SQLException {
        int i = first;
        ps.setString(i++, e.kind().code());
        ps.setString(i++, status);
        ps.setTimestamp(i++, Timestamp.from(e.start()));
        ps.setTimestamp(i++, e.confirmedAt() == null ? null : Timestamp.from(e.confirmedAt()));
        ps.setTimestamp(i++, e.endedAt() == null ? null : Timestamp.from(e.endedAt()));
        ps.setString(i++, e.scope().extent().code());
        ps.setString(i++, e.explanation().summary());
        ps.setString(i++, write(e.scope()));
        ps.setString(i++, write(e.evidence()));
        ps.setString(i++, write(e.explanation()));
        if (e.deploymentId() == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, e.deploymentId());
        }
    }

    private static void insertEvent(Connection c, long incidentId, Event e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into incident_event (incident_id, type, kind, at, summary) values (?, ?, ?, ?, ?)")) {
            ps.setLong(1, incidentId);
            ps.setString(2, e.type().code());
            ps.setString(3, e.episode().kind().code());
            ps.setTimestamp(4, Timestamp.from(e.at()));
            ps.setString(5, e.episode().explanation().summary());
            ps.executeUpdate();
        }
    }

    /** A monitor judged in this batch and the state to store for it. */
    private record Judged(Claimed claimed, MonitorState state) {
    }

    /**
     * A monitor up before and after with nothing to record: no events, no episode, no change of check pace. Most
     * evaluations are of this kind, and all they write is the state.
     */
    private static boolean quiet(Claimed m, Analyzer.Step step) {
        MonitorState before = m.state();
        MonitorState after = step.state();
        return step.events().isEmpty() && before.episode() == null && after.episode() == null && before.degraded() == null
                && after.degraded() == null && !before.hurry() && !after.hurry();
    }

    /**
     * Runs {@code work} under a savepoint. What fails on this data (the database refusing a row, or the code on it) is
     * undone alone and returned; any other database failure is thrown, and the whole batch is retried.
     */
    private static Exception refused(Connection c, Sql.Work work) throws SQLException {
        var savepoint = c.setSavepoint();
        try {
            work.run(c);
            c.releaseSavepoint(savepoint);
            return null;
        } catch (SQLException | RuntimeException e) {
            c.rollback(savepoint);
            if (e instanceof SQLException sql && !Sql.dataError(sql)) {
                throw sql;
            }
            return e;
        }
    }

    /** One monitor's writes: if they fail on its data they are undone alone, it is set aside and the batch goes on. */
    private void isolated(Connection c, Claimed m, Sql.Work work) throws SQLException {
        Exception e = refused(c, work);
        if (e != null) {
            setAside(c, m, e);
        }
    }

    /**
     * The quiet monitors' states in one statement (a savepoint and an update per monitor cost the database more than the
     * rest of the evaluation); if the database refuses one of them, each is stored alone so only that one is set aside.
     */
    private void saveQuiet(Connection c, List<Judged> quiet, Instant now) throws SQLException {
        if (!quiet.isEmpty() && refused(c, x -> save(x, quiet, now)) != null) {
            for (Judged j : quiet) {
                isolated(c, j.claimed(), x -> save(x, List.of(j), now));
            }
        }
    }

    private void save(Connection c, List<Judged> judged, Instant now) throws SQLException {
        // Streams of regions or resolvers that stopped reporting long ago are dropped so the state stays small.
        Instant cutoff = now.minus(config.analyzer().lookback());
        int n = judged.size();
        Long[] ids = new Long[n];
        String[] states = new String[n];
        String[] phases = new String[n];
        Boolean[] active = new Boolean[n];
        Long[] newest = new Long[n];
        for (int i = 0; i < n; i++) {
            MonitorState s = judged.get(i).state();
            Map<String, StreamState> streams = new HashMap<>(s.streams());
            streams.values().removeIf(x -> x.latest().at().isBefore(cutoff) && x.latest().ok());
            ids[i] = judged.get(i).claimed().monitorId();
            states[i] = write(s.withStreams(streams));
            phases[i] = s.phase().name().toLowerCase(java.util.Locale.ROOT);
            active[i] = s.phase() != Phase.UP || s.degraded() != null || s.slowSince() != null;
            newest[i] = judged.get(i).claimed().newest();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update analysis_state s set state = u.state::jsonb, phase = u.phase, active = u.active,
                    last_result_id = greatest(s.last_result_id, u.newest), analyzed_at = now()
                from unnest(?::bigint[], ?::text[], ?::text[], ?::boolean[], ?::bigint[]) as u(id, state, phase, active, newest)
                where s.monitor_id = u.id
                """)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("text", states));
            ps.setArray(3, c.createArrayOf("text", phases));
            ps.setArray(4, c.createArrayOf("boolean", active));
            ps.setArray(5, c.createArrayOf("bigint", newest));
            ps.executeUpdate();
        }
    }

    private static Instant dbNow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select now()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private MonitorState read(String text) {
        try {
            return json.readValue(text, MonitorState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable analysis state", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
