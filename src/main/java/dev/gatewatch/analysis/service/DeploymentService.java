package dev.gatewatch.analysis.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.account.OwnedMonitors;
import dev.gatewatch.analysis.model.Deployment;
import dev.gatewatch.api.DateTimeParam;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;
import io.agroal.api.AgroalDataSource;

/** Deployment markers: created by pipelines with an API token, read by the analyzer. */
@ApplicationScoped
public class DeploymentService {

    private static final int MAX_EXPECTED = 86_400;

    private final AgroalDataSource dataSource;
    private final GatewatchConfig config;

    public DeploymentService(AgroalDataSource dataSource, GatewatchConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** A marker for one monitor ({@code monitorId} set; request.monitorIds must then be empty) or several. */
    public DeploymentView create(long ownerId, Long monitorId, DeploymentRequest request) {
        DeploymentRequest r = request == null ? new DeploymentRequest(null, null, null, null, null, null) : request;
        List<FieldError> errors = new ArrayList<>();
        Instant now = Instant.now();
        Instant start = DateTimeParam.parse("startedAt", r.startedAt(), now, errors);
        Instant end = DateTimeParam.parse("endedAt", r.endedAt(), null, errors);
        if (start.isBefore(now.minus(Duration.ofDays(1))) || start.isAfter(now.plus(Duration.ofHours(1)))) {
            errors.add(new FieldError("startedAt", "must be within the last day (or at most an hour ahead)"));
        }
        if (end != null && end.isBefore(start)) {
            errors.add(new FieldError("endedAt", "must not be before startedAt"));
        }
        if (r.expectedDurationSeconds() != null && (r.expectedDurationSeconds() < 1 || r.expectedDurationSeconds() > MAX_EXPECTED)) {
            errors.add(new FieldError("expectedDurationSeconds", "must be between 1 and " + MAX_EXPECTED));
        }
        if (r.description() != null && r.description().length() > 500) {
            errors.add(new FieldError("description", "must be at most 500 characters"));
        }
        if (r.version() != null && r.version().length() > 200) {
            errors.add(new FieldError("version", "must be at most 200 characters"));
        }
        if (monitorId != null && r.monitorIds() != null && !r.monitorIds().isEmpty()) {
            errors.add(new FieldError("monitorIds", "not allowed here: the marker is for monitor " + monitorId));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (monitorId != null) {
                    OwnedMonitors.requireOwned(c, ownerId, monitorId);
                }
                List<Long> monitors = monitorId != null ? List.of(monitorId) : monitors(c, ownerId, r.monitorIds(), errors);
                if (!errors.isEmpty()) {
                    throw new InvalidInputException(errors);
                }
                long id;
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into deployment (owner_id, started_at, ended_at, expected_seconds, description, version)
                        values (?, ?, ?, ?, ?, ?) returning id
                        """)) {
                    ps.setLong(1, ownerId);
                    ps.setTimestamp(2, Timestamp.from(start));
                    ps.setTimestamp(3, end == null ? null : Timestamp.from(end));
                    ps.setObject(4, r.expectedDurationSeconds());
                    ps.setString(5, blankToNull(r.description()));
                    ps.setString(6, blankToNull(r.version()));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into deployment_monitor (deployment_id, monitor_id) select ?, unnest(?::bigint[])")) {
                    ps.setLong(1, id);
                    ps.setArray(2, c.createArrayOf("bigint", monitors.toArray()));
                    ps.executeUpdate();
                }
                c.commit();
                return get(ownerId, id);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a deployment failed", e);
        }
    }

    /** Marks a deployment finished (now, or at {@code endedAt}). */
    public DeploymentView end(long ownerId, long deploymentId, DeploymentRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Instant end = DateTimeParam.parse("endedAt", request == null ? null : request.endedAt(), Instant.now(), errors);
        DeploymentView d = get(ownerId, deploymentId);
        if (errors.isEmpty() && end.isBefore(d.startedAt())) {
            errors.add(new FieldError("endedAt", "must not be before the deployment's start " + d.startedAt()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Sql.update(dataSource, "update deployment set ended_at = ? where id = ? and owner_id = ?", Timestamp.from(end), deploymentId, ownerId);
        return get(ownerId, deploymentId);
    }

    public DeploymentView get(long ownerId, long deploymentId) {
        List<DeploymentView> found = query("where d.id = ? and d.owner_id = ?", deploymentId, ownerId);
        if (found.isEmpty()) {
            throw new NotFoundProblem("deployment " + deploymentId);
        }
        return found.get(0);
    }

    /** Newest first; with monitorId only that monitor's. */
    public List<DeploymentView> list(long ownerId, Long monitorId, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", "must be between 1 and 500");
        }
        if (monitorId != null) {
            try (Connection c = dataSource.getConnection()) {
                OwnedMonitors.requireOwned(c, ownerId, monitorId);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return query("where d.owner_id = ? and exists (select 1 from deployment_monitor x where x.deployment_id = d.id and x.monitor_id = ?)"
                    + " order by d.started_at desc limit ?", ownerId, monitorId, limit);
        }
        return query("where d.owner_id = ? order by d.started_at desc limit ?", ownerId, limit);
    }

    private List<Long> monitors(Connection c, long ownerId, List<Long> requested, List<FieldError> errors) throws SQLException {
        List<Long> owned = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from monitor where owner_id = ? order by id")) {
            ps.setLong(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owned.add(rs.getLong(1));
                }
            }
        }
        if (requested == null || requested.isEmpty()) {
            if (owned.isEmpty()) {
                errors.add(new FieldError("monitorIds", "you have no monitors to mark"));
            }
            return owned;
        }
        List<Long> unknown = requested.stream().filter(id -> id == null || !owned.contains(id)).toList();
        if (!unknown.isEmpty()) {
            errors.add(new FieldError("monitorIds", "unknown monitor(s): " + unknown));
        }
        return requested.stream().distinct().toList();
    }

    private List<DeploymentView> query(String where, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select d.*, array(select x.monitor_id from deployment_monitor x where x.deployment_id = d.id order by 1) as monitors
                from deployment d
                """ + where)) {
            Sql.bind(ps, params);
            List<DeploymentView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant start = rs.getObject("started_at", OffsetDateTime.class).toInstant();
                    OffsetDateTime end = rs.getObject("ended_at", OffsetDateTime.class);
                    Integer expected = Sql.integer(rs, "expected_seconds");
                    Deployment d = new Deployment(rs.getLong("id"), start, end == null ? null : end.toInstant(),
                            expected == null ? null : Duration.ofSeconds(expected));
                    out.add(new DeploymentView(d.id(), start, d.end(), expected, d.limit(config.analyzer().deployLimit()),
                            rs.getString("description"), rs.getString("version"),
                            Arrays.stream((Long[]) rs.getArray("monitors").getArray()).toList()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading deployments failed", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
