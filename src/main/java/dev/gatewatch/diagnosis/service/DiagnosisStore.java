package dev.gatewatch.diagnosis.service;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.api.Sql;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.LiveRegions;
import dev.gatewatch.check.Timings;
import dev.gatewatch.check.cdn.EdgeInfo;
import dev.gatewatch.check.cdn.ErrorSource;
import dev.gatewatch.diagnosis.ProbeSpec;

/** The SQL of diagnoses: requests and their limits, the checkers' claims of regions' work, results, the page's reads. */
public final class DiagnosisStore {

    /** The channel a new diagnosis is announced on; the payload is the region asked. */
    public static final String CHANNEL = "gatewatch_diagnosis";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public DiagnosisStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A diagnosis to store. */
    public record NewDiagnosis(UUID id, Long ownerId, Long monitorId, String url, String urlKey, ProbeSpec probe,
                               List<String> resolvers, List<String> regions, String clientKey, int slowMs, Duration deadline,
                               Duration keep) {
    }

    /** How many new diagnoses a subject may start in a window; {@code key} null counts every anonymous one. */
    public record Limit(String name, Subject subject, String key, int max, Duration window) {
    }

    public enum Subject {
        CLIENT, OWNER, ANONYMOUS
    }

    /** What became of a request. */
    public sealed interface Outcome {
        record Created(UUID id) implements Outcome {
        }

        record Reused(UUID id) implements Outcome {
        }

        record Limited(Limit limit, Duration retryAfter) implements Outcome {
        }
    }

    /** The work of one region, claimed by one checker. */
    public record Job(UUID id, String region, ProbeSpec probe, List<String> resolvers, Instant deadline) {
    }

    /** A diagnosis as stored, with its checks so far. */
    public record Stored(UUID id, Long ownerId, Long monitorId, String url, List<String> resolvers, List<String> regions, int slowMs,
                         Instant createdAt, Instant deadlineAt, Instant expiresAt, Set<String> done, List<CheckResult> checks,
                         Instant now) {

        public boolean anonymous() {
            return ownerId == null;
        }

        /** Whether every region has answered or the deadline has passed: nothing more will come. */
        public boolean closed() {
            return !now.isBefore(deadlineAt) || done.containsAll(regions);
        }
    }

    /** The regions with a checker that reported within {@code nodeTimeout}. */
    public List<String> liveRegions(Duration nodeTimeout) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return LiveRegions.of(c, nodeTimeout);
        }
    }

    /** An owner's monitor as a diagnosis checks it. */
    public record MonitorTarget(ProbeSpec probe, List<String> resolvers, Integer maxResponseTimeMs) {
    }

    /** 404 unless the monitor is the owner's (the kernel's tenant check). */
    public void requireOwned(long ownerId, long monitorId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            dev.gatewatch.account.OwnedMonitors.requireOwned(c, ownerId, monitorId);
        }
    }

    /** The owner's monitor, with the probe its diagnosis sends (its timeout capped); empty when it is not theirs. */
    public Optional<MonitorTarget> monitor(long ownerId, long monitorId, int timeoutCapMs) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select url, method, request_headers::text, request_body, expected_status, body_assertions::text,
                       json_assertions::text, timeout_ms, follow_redirects, max_redirects, resolvers::text, max_response_time_ms
                from monitor where id = ? and owner_id = ?
                """)) {
            ps.setLong(1, monitorId);
            ps.setLong(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ProbeSpec probe = new ProbeSpec(monitorId, false, rs.getString("url"), rs.getString("method"),
                        JSON.readValue(rs.getString(3), new TypeReference<java.util.Map<String, String>>() { }), rs.getString("request_body"),
                        rs.getString("expected_status"), JSON.readValue(rs.getString(6), new TypeReference<List<dev.gatewatch.monitor.BodyAssertion>>() { }),
                        JSON.readValue(rs.getString(7), new TypeReference<List<dev.gatewatch.monitor.JsonAssertion>>() { }),
                        Math.min(rs.getInt("timeout_ms"), timeoutCapMs), rs.getBoolean("follow_redirects"), rs.getInt("max_redirects"));
                return Optional.of(new MonitorTarget(probe, JSON.readValue(rs.getString(11), new TypeReference<List<String>>() { }),
                        Sql.integer(rs, "max_response_time_ms")));
            } catch (JsonProcessingException e) {
                throw new SQLException("monitor " + monitorId + " has unreadable JSON columns", e);
            }
        }
    }

    /** The monitor's newest deployment marker in force at {@code at} (until its end, or start + expected, or start + limit). */
    public Optional<dev.gatewatch.analysis.model.Deployment> deploymentInForce(long monitorId, Instant at, Duration limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select d.id, d.started_at, d.ended_at, d.expected_seconds from deployment d
                join deployment_monitor dm on dm.deployment_id = d.id
                where dm.monitor_id = ? and d.started_at <= ? and d.started_at > ? - interval '2 days'
                order by d.started_at desc limit 1
                """)) {
            ps.setLong(1, monitorId);
            ps.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OffsetDateTime end = rs.getObject(3, OffsetDateTime.class);
                Integer expected = Sql.integer(rs, "expected_seconds");
                var d = new dev.gatewatch.analysis.model.Deployment(rs.getLong(1), instant(rs, "started_at"),
                        end == null ? null : end.toInstant(), expected == null ? null : Duration.ofSeconds(expected));
                return d.covers(at, at, limit) ? Optional.of(d) : Optional.empty();
            }
        }
    }

    /** The installation's key for hashing client addresses. */
    public String salt() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select salt from diagnosis_salt limit 1")) {
            if (!rs.next()) {
                throw new SQLException("diagnosis_salt has no row");
            }
            return rs.getString(1);
        }
    }

    /**
     * Stores the diagnosis and announces it to the checkers of its regions, unless an anonymous one of the same URL is
     * recent enough to answer instead ({@code reuseSince}, null for none) or a limit is reached. Requests that count
     * against the same limits are serialised, so concurrent ones cannot all slip under a limit.
     */
    public Outcome create(NewDiagnosis d, Instant reuseSince, List<Limit> limits) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                    ps.setString(1, "diagnosis:" + (d.ownerId() == null ? "anonymous" : "owner:" + d.ownerId()));
                    ps.executeQuery().close();
                }
                if (reuseSince != null) {
                    Optional<UUID> recent = recent(c, d.urlKey(), reuseSince);
                    if (recent.isPresent()) {
                        c.commit();
                        return new Outcome.Reused(recent.get());
                    }
                }
                for (Limit limit : limits) {
                    Optional<Duration> wait = over(c, limit);
                    if (wait.isPresent()) {
                        c.commit();
                        return new Outcome.Limited(limit, wait.get());
                    }
                }
                insert(c, d);
                c.commit();
                return new Outcome.Created(d.id());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static Optional<UUID> recent(Connection c, String urlKey, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select id from diagnosis where owner_id is null and url_key = ? and created_at >= ? order by created_at desc limit 1
                """)) {
            ps.setString(1, urlKey);
            ps.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** How long until the limit lets one more in; empty when it does now. */
    private static Optional<Duration> over(Connection c, Limit limit) throws SQLException {
        String where = switch (limit.subject()) {
            case CLIENT -> "client_key = ?";
            case OWNER -> "owner_id = ?::bigint";
            case ANONYMOUS -> "owner_id is null and ?::text is null";
        };
        try (PreparedStatement ps = c.prepareStatement("""
                select count(*), extract(epoch from min(created_at) + ? * interval '1 millisecond' - now())
                from (select created_at from diagnosis where %s and created_at > now() - ? * interval '1 millisecond'
                      order by created_at desc limit ?) recent
                """.formatted(where))) {
            ps.setLong(1, limit.window().toMillis());
            ps.setString(2, limit.key());
            ps.setLong(3, limit.window().toMillis());
            ps.setInt(4, limit.max());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) < limit.max()) {
                    return Optional.empty();
                }
                return Optional.of(Duration.ofMillis(Math.max(1000, (long) Math.ceil(rs.getDouble(2) * 1000))));
            }
        }
    }

    private static void insert(Connection c, NewDiagnosis d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into diagnosis (id, owner_id, monitor_id, url, url_key, probe, resolvers, regions, client_key, slow_ms,
                                       deadline_at, expires_at)
                values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, now() + ? * interval '1 millisecond', now() + ? * interval '1 millisecond')
                """)) {
            ps.setObject(1, d.id());
            ps.setObject(2, d.ownerId(), java.sql.Types.BIGINT);
            ps.setObject(3, d.monitorId(), java.sql.Types.BIGINT);
            ps.setString(4, d.url());
            ps.setString(5, d.urlKey());
            ps.setString(6, json(d.probe()));
            ps.setArray(7, c.createArrayOf("text", d.resolvers().toArray()));
            ps.setArray(8, c.createArrayOf("text", d.regions().toArray()));
            ps.setString(9, d.clientKey());
            ps.setInt(10, d.slowMs());
            ps.setLong(11, d.deadline().toMillis());
            ps.setLong(12, d.keep().toMillis());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into diagnosis_task (diagnosis_id, region) select ?, r from unnest(?::text[]) r;
                select pg_notify(?, r) from unnest(?::text[]) r
                """)) {
            Array regions = c.createArrayOf("text", d.regions().toArray());
            ps.setObject(1, d.id());
            ps.setArray(2, regions);
            ps.setString(3, CHANNEL);
            ps.setArray(4, regions);
            ps.execute();
        }
    }

    /**
     * Claims up to {@code limit} diagnoses waiting for {@code region}, oldest first, for {@code lease}: a checker that
     * dies with one leaves it to another checker of the region once the lease ends (if the deadline has not passed).
     */
    public List<Job> claim(String region, String node, int limit, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                with open as (
                    select t.diagnosis_id from diagnosis_task t join diagnosis d on d.id = t.diagnosis_id
                    where t.region = ? and t.done_at is null and (t.claimed_until is null or t.claimed_until < now())
                      and d.deadline_at > now()
                    order by d.created_at limit ?
                    for update of t skip locked),
                claimed as (
                    update diagnosis_task t set claimed_by = ?, claimed_until = now() + ? * interval '1 millisecond'
                    from open where t.diagnosis_id = open.diagnosis_id and t.region = ?
                    returning t.diagnosis_id)
                select d.id, d.probe::text, d.resolvers, d.deadline_at from diagnosis d join claimed on claimed.diagnosis_id = d.id
                """)) {
            c.setAutoCommit(true);
            ps.setString(1, region);
            ps.setInt(2, limit);
            ps.setString(3, node);
            ps.setLong(4, lease.toMillis());
            ps.setString(5, region);
            List<Job> jobs = new ArrayList<>();
            List<UUID> unreadable = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    try {
                        jobs.add(new Job(id, region, JSON.readValue(rs.getString(2), ProbeSpec.class),
                                List.of((String[]) rs.getArray(3).getArray()), rs.getObject(4, OffsetDateTime.class).toInstant()));
                    } catch (JsonProcessingException | RuntimeException e) {
                        unreadable.add(id); // that one alone: the region shows as not answering, the others are checked
                    }
                }
            }
            for (UUID id : unreadable) {
                done(id, region, node);
            }
            return jobs;
        }
    }

    /** One check's result; a check already stored for this region and resolver (a lease taken over) is kept. */
    public void record(UUID id, CheckResult r) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into diagnosis_result (diagnosis_id, region, resolver, checker_id, started_at, ok, status, error_class,
                    error_message, dns_ms, connect_ms, tls_ms, ttfb_ms, download_ms, total_ms, resolved_ip, redirects, final_url,
                    server, cdn_provider, cdn_pop, cdn_request_id, error_source, error_generator, error_body, tls_expires_at,
                    assertion_failures)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                on conflict do nothing
                """)) {
            c.setAutoCommit(true);
            EdgeInfo e = r.edge();
            Timings t = r.timings();
            int i = 1;
            ps.setObject(i++, id);
            ps.setString(i++, r.region());
            ps.setString(i++, r.resolver());
            ps.setString(i++, r.checkerId());
            ps.setObject(i++, OffsetDateTime.ofInstant(r.startedAt(), ZoneOffset.UTC));
            ps.setBoolean(i++, r.ok());
            ps.setObject(i++, r.status(), java.sql.Types.INTEGER);
            ps.setString(i++, r.errorClass() == null ? null : r.errorClass().code());
            ps.setString(i++, r.errorMessage());
            ps.setObject(i++, t.dnsMs(), java.sql.Types.INTEGER);
            ps.setObject(i++, t.connectMs(), java.sql.Types.INTEGER);
            ps.setObject(i++, t.tlsMs(), java.sql.Types.INTEGER);
            ps.setObject(i++, t.ttfbMs(), java.sql.Types.INTEGER);
            ps.setObject(i++, t.downloadMs(), java.sql.Types.INTEGER);
            ps.setInt(i++, t.totalMs());
            ps.setString(i++, r.resolvedIp());
            ps.setInt(i++, r.redirects());
            ps.setString(i++, r.redirects() > 0 ? r.finalUrl() : null);
            ps.setString(i++, e == null ? null : e.server());
            ps.setString(i++, e == null ? null : e.provider());
            ps.setString(i++, e == null ? null : e.pop());
            ps.setString(i++, e == null ? null : e.requestId());
            ps.setString(i++, EdgeInfo.errorSourceCode(e, r.status()));
            ps.setString(i++, e == null ? null : e.generator());
            ps.setString(i++, r.errorBody());
            ps.setObject(i++, r.tlsExpiresAt() == null ? null : OffsetDateTime.ofInstant(r.tlsExpiresAt(), ZoneOffset.UTC));
            ps.setString(i, r.assertionFailures() == null || r.assertionFailures().isEmpty() ? null : json(r.assertionFailures()));
            ps.executeUpdate();
        }
    }

    /** Marks the region's work done (by the checker holding it). */
    public void done(UUID id, String region, String node) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update diagnosis_task set done_at = now() where diagnosis_id = ? and region = ? and claimed_by = ? and done_at is null
                """)) {
            c.setAutoCommit(true);
            ps.setObject(1, id);
            ps.setString(2, region);
            ps.setString(3, node);
            ps.executeUpdate();
        }
    }

    public Optional<Stored> load(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            List<Stored> found = load(c, "d.id = ?", ps -> ps.setObject(1, id));
            return found.stream().findFirst();
        }
    }

    /** A monitor's diagnoses, newest first. */
    public List<Stored> forMonitor(long monitorId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return load(c, "d.monitor_id = ? order by d.created_at desc limit ?", ps -> {
                ps.setLong(1, monitorId);
                ps.setInt(2, limit);
            });
        }
    }

    private interface Params {
        void set(PreparedStatement ps) throws SQLException;
    }

    private static List<Stored> load(Connection c, String where, Params params) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select d.id, d.owner_id, d.monitor_id, d.url, d.resolvers, d.regions, d.slow_ms, d.created_at, d.deadline_at,
                       d.expires_at, now(),
                       array(select t.region from diagnosis_task t where t.diagnosis_id = d.id and t.done_at is not null) as done
                from diagnosis d where d.expires_at > now() and\s""" + where)) {
            params.set(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject("id", UUID.class);
                    out.add(new Stored(id, Sql.longValue(rs, "owner_id"), Sql.longValue(rs, "monitor_id"), rs.getString("url"),
                            strings(rs.getArray("resolvers")), strings(rs.getArray("regions")), rs.getInt("slow_ms"),
                            instant(rs, "created_at"), instant(rs, "deadline_at"), instant(rs, "expires_at"),
                            new HashSet<>(strings(rs.getArray("done"))), new ArrayList<>(), instant(rs, "now")));
                }
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select * from diagnosis_result where diagnosis_id = any(?) order by started_at, region, resolver
                """)) {
            ps.setArray(1, c.createArrayOf("uuid", out.stream().map(Stored::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject("diagnosis_id", UUID.class);
                    CheckResult r = result(rs);
                    out.stream().filter(s -> s.id().equals(id)).findFirst().ifPresent(s -> s.checks().add(r));
                }
            }
        }
        return out;
    }

    private static CheckResult result(ResultSet rs) throws SQLException {
        String ec = rs.getString("error_class");
        String src = rs.getString("error_source");
        Instant started = instant(rs, "started_at");
        OffsetDateTime tls = rs.getObject("tls_expires_at", OffsetDateTime.class);
        List<String> failures;
        try {
            String a = rs.getString("assertion_failures");
            failures = a == null ? List.of() : JSON.readValue(a, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            failures = List.of();
        }
        return new CheckResult(0, rs.getString("region"), rs.getString("resolver"), rs.getString("checker_id"), started, started,
                rs.getBoolean("ok"), Sql.integer(rs, "status"), ec == null ? null : ErrorClass.valueOf(ec.toUpperCase(Locale.ROOT)),
                rs.getString("error_message"), new Timings(Sql.integer(rs, "dns_ms"), Sql.integer(rs, "connect_ms"),
                Sql.integer(rs, "tls_ms"), Sql.integer(rs, "ttfb_ms"), Sql.integer(rs, "download_ms"), rs.getInt("total_ms")),
                rs.getString("resolved_ip"), rs.getInt("redirects"), rs.getString("final_url"), null,
                new EdgeInfo(rs.getString("cdn_provider"), rs.getString("cdn_pop"), rs.getString("cdn_request_id"), rs.getString("server"),
                        src == null ? ErrorSource.NONE : ErrorSource.valueOf(src.toUpperCase(Locale.ROOT)), rs.getString("error_generator")),
                rs.getString("error_body"), tls == null ? null : tls.toInstant(), failures);
    }

    /** Deletes diagnoses past their keep, and forgets client address hashes older than the longest rate window. */
    public int purge(Duration clientKeyFor) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            int n = st.executeUpdate("delete from diagnosis where expires_at <= now()");
            try (PreparedStatement ps = c.prepareStatement(
                    "update diagnosis set client_key = null where client_key is not null and created_at < now() - ? * interval '1 millisecond'")) {
                ps.setLong(1, clientKeyFor.toMillis());
                ps.executeUpdate();
            }
            return n;
        }
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static String json(Object value) throws SQLException {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
