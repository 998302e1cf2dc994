package dev.gatewatch.analysis.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.account.OwnedMonitors;
import dev.gatewatch.analysis.model.Evidence;
import dev.gatewatch.analysis.model.Lasted;
import dev.gatewatch.api.DateTimeParam;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.api.Sql;
import io.agroal.api.AgroalDataSource;

/** Read side of incidents and episodes, always scoped to the calling owner. */
@ApplicationScoped
public class IncidentQueries {

    public static final int MAX_LIMIT = 500;
    private static final Set<String> KINDS = Set.of("suspect", "deploy_blip", "transient", "outage", "partial", "degraded", "flapping");
    private static final Set<String> STATUSES = Set.of("suspected", "open", "resolved");

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public IncidentQueries(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * Incidents newest first. {@code kind} and {@code status} take comma-separated lists; since/until default to the
     * last 30 days; monitorId null means all of the owner's monitors.
     */
    public List<IncidentView> list(long ownerId, Long monitorId, String kind, String status, String since, String until, int limit) {
        List<FieldError> errors = new ArrayList<>();
        String[] kinds = values("kind", kind, KINDS, errors);
        String[] statuses = values("status", status, STATUSES, errors);
        Instant u = DateTimeParam.parse("until", until, Instant.now().plusSeconds(1), errors);
        Instant s = DateTimeParam.parse("since", since, u.minus(Duration.ofDays(30)), errors);
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (errors.isEmpty() && !s.isBefore(u)) {
            errors.add(new FieldError("since", "must be before until"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        try (Connection c = dataSource.getConnection()) {
            if (monitorId != null) {
                OwnedMonitors.requireOwned(c, ownerId, monitorId);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    select i.*, m.name as monitor_name from incident i join monitor m on m.id = i.monitor_id
                    where i.owner_id = ? and (?::bigint is null or i.monitor_id = ?)
                      and (?::text[] is null or i.kind = any(?::text[])) and (?::text[] is null or i.status = any(?::text[]))
                      and i.started_at >= ? and i.started_at < ?
                    order by i.started_at desc, i.id desc limit ?
                    """)) {
                ps.setLong(1, ownerId);
                ps.setObject(2, monitorId);
                ps.setObject(3, monitorId);
                var k = kinds == null ? null : c.createArrayOf("text", kinds);
                var st = statuses == null ? null : c.createArrayOf("text", statuses);
                ps.setArray(4, k);
                ps.setArray(5, k);
                ps.setArray(6, st);
                ps.setArray(7, st);
                ps.setObject(8, OffsetDateTime.ofInstant(s, ZoneOffset.UTC));
                ps.setObject(9, OffsetDateTime.ofInstant(u, ZoneOffset.UTC));
                ps.setInt(10, limit);
                List<IncidentView> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs, null));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading incidents failed", e);
        }
    }

    /** One incident with its events. */
    public IncidentView get(long ownerId, long incidentId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select i.*, m.name as monitor_name from incident i join monitor m on m.id = i.monitor_id
                where i.id = ? and i.owner_id = ?
                """)) {
            ps.setLong(1, incidentId);
            ps.setLong(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundProblem("incident " + incidentId);
                }
                List<IncidentView.EventView> events = new ArrayList<>();
                try (PreparedStatement ev = c.prepareStatement(
                        "select type, kind, at, summary from incident_event where incident_id = ? order by id")) {
                    ev.setLong(1, incidentId);
                    try (ResultSet e = ev.executeQuery()) {
                        while (e.next()) {
                            events.add(new IncidentView.EventView(e.getString("type"), e.getString("kind"),
                                    e.getObject("at", OffsetDateTime.class).toInstant(), e.getString("summary")));
                        }
                    }
                }
                return view(rs, events);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading incident " + incidentId + " failed", e);
        }
    }

    private IncidentView view(ResultSet rs, List<IncidentView.EventView> events) throws SQLException {
        Instant started = rs.getObject("started_at", OffsetDateTime.class).toInstant();
        Instant confirmed = Sql.instant(rs, "confirmed_at");
        Instant resolved = Sql.instant(rs, "resolved_at");
        long deploymentId = rs.getLong("deployment_id");
        Long deployment = rs.wasNull() ? null : deploymentId;
        Instant end = resolved != null ? resolved : Instant.now();
        JsonNode evidence = node(rs.getString("evidence"));
        Instant lastPass = instant(evidence.get("lastPassAt"));
        Lasted lasted = lastPass == null ? null : Lasted.of(lastPass, started, lastFailure(evidence), end);
        return new IncidentView(rs.getLong("id"), rs.getLong("monitor_id"), rs.getString("monitor_name"), rs.getString("track"),
                rs.getString("kind"), rs.getString("status"), started, confirmed, resolved, Duration.between(started, end).toSeconds(),
                lastPass, lasted == null ? null : lasted.least().toSeconds(), lasted == null ? null : lasted.most().toSeconds(),
                rs.getString("extent"),
                rs.getString("summary"), node(rs.getString("scope")), evidence, node(rs.getString("explanation")), deployment, events);
    }

    /** The stored evidence's last failing check, as {@link Evidence#lastFailure()} reads it. */
    private static Instant lastFailure(JsonNode evidence) {
        Stream<JsonNode> kept = Stream.concat(StreamSupport.stream(evidence.path("first").spliterator(), false),
                StreamSupport.stream(evidence.path("latest").spliterator(), false));
        return Evidence.lastFailure(instant(evidence.get("lastFailAt")),
                kept.filter(x -> !x.path("ok").asBoolean()).map(x -> instant(x.get("at"))));
    }

    private static Instant instant(JsonNode v) {
        return v == null || v.isNull() ? null : Instant.parse(v.asText());
    }

    private JsonNode node(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] values(String field, String text, Set<String> allowed, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] values = Arrays.stream(text.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toArray(String[]::new);
        for (String v : values) {
            if (!allowed.contains(v)) {
                errors.add(new FieldError(field, "unknown value '" + v + "'; one or more of " + allowed.stream().sorted().toList()));
            }
        }
        return values;
    }
}
