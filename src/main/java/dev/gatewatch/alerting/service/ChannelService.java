package dev.gatewatch.alerting.service;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.alerting.Alert;
import dev.gatewatch.alerting.AlertChannel;
import dev.gatewatch.alerting.ChannelConfig;
import dev.gatewatch.alerting.Outcome;
import dev.gatewatch.account.OwnedMonitors;
import dev.gatewatch.alerting.digest.DigestSchedule;
import dev.gatewatch.alerting.outbox.Notifier;
import dev.gatewatch.analysis.model.Evidence;
import dev.gatewatch.analysis.model.Explanation;
import dev.gatewatch.analysis.model.Extent;
import dev.gatewatch.analysis.model.Scope;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.config.PublicUrl;
import io.agroal.api.AgroalDataSource;

/** Owners' alert channels: create, replace, delete, list, test-send, and what was delivered through them. */
@ApplicationScoped
public class ChannelService {

    private static final int MAX_CHANNELS = 50;

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final Notifier notifier;
    private final GatewatchConfig config;

    public ChannelService(AgroalDataSource dataSource, ObjectMapper json, Notifier notifier, GatewatchConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.notifier = notifier;
        this.config = config;
    }

    public ChannelView create(long ownerId, ChannelRequest request) {
        Valid v = validate(request, Map.of(), ownerId);
        try (Connection c = dataSource.getConnection()) {
            if (count(c, ownerId) >= MAX_CHANNELS) {
                throw new InvalidInputException("type", "you already have " + MAX_CHANNELS + " channels");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into alert_channel (owner_id, type, name, settings, secrets, enabled)
                    values (?, ?, ?, ?::jsonb, ?::jsonb, ?) returning id
                    """)) {
                ps.setLong(1, ownerId);
                ps.setString(2, v.type());
                ps.setString(3, v.name());
                ps.setString(4, write(v.settings()));
                ps.setString(5, write(v.secrets()));
                ps.setBoolean(6, v.enabled());
                long id;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                attach(c, ownerId, id, v.monitorIds());
                return get(ownerId, id);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a channel failed", e);
        }
    }

    /** Replaces settings; secrets left out of the request keep their stored values. The type cannot change. */
    public ChannelView replace(long ownerId, long channelId, ChannelRequest request) {
        ChannelView current = get(ownerId, channelId);
        if (request != null && request.type() != null && !request.type().equals(current.type())) {
            throw new InvalidInputException("type", "cannot change from " + current.type() + "; create a new channel");
        }
        Valid v = validate(request == null ? null : new ChannelRequest(current.type(), request.name(), request.settings(),
                request.secrets(), request.enabled(), request.monitorIds()), secrets(ownerId, channelId), ownerId);
        Sql.inTransaction(dataSource, "storing channel " + channelId, c -> {
            try (PreparedStatement ps = Sql.bind(c.prepareStatement("""
                    update alert_channel set name = ?, settings = ?::jsonb, secrets = ?::jsonb, enabled = ?, updated_at = now()
                    where id = ? and owner_id = ?
                    """), v.name(), write(v.settings()), write(v.secrets()), v.enabled(), channelId, ownerId)) {
                ps.executeUpdate();
            }
            attach(c, ownerId, channelId, v.monitorIds());
        });
        return get(ownerId, channelId);
    }

    /** Deletes a channel and detaches it from the owner's monitors. */
    public void delete(long ownerId, long channelId) {
        get(ownerId, channelId);
        Sql.inTransaction(dataSource, "deleting channel " + channelId, c -> {
            attach(c, ownerId, channelId, List.of());
            try (PreparedStatement ps = Sql.bind(c.prepareStatement("delete from alert_channel where id = ? and owner_id = ?"),
                    channelId, ownerId)) {
                ps.executeUpdate();
            }
        });
    }

    /** The owner's monitors, for choosing which ones alert through a channel. */
    public List<ChannelView.MonitorChoice> monitorChoices(long ownerId) {
        List<ChannelView.MonitorChoice> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, name, url from monitor where owner_id = ? order by lower(name), id limit " + OwnedMonitors.MAX_MONITORS)) {
            ps.setLong(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ChannelView.MonitorChoice(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public List<ChannelView> list(long ownerId) {
        return query("where owner_id = ? order by id", ownerId);
    }

    public ChannelView get(long ownerId, long channelId) {
        List<ChannelView> found = query("where id = ? and owner_id = ?", channelId, ownerId);
        if (found.isEmpty()) {
            throw new NotFoundProblem("channel " + channelId);
        }
        return found.get(0);
    }

    /** Sends a sample outage alert now, and returns the receiver's answer. Not queued, not retried. */
    public ChannelView.TestResult test(long ownerId, long channelId) {
        ChannelView v = get(ownerId, channelId);
        AlertChannel channel = notifier.channel(v.type());
        ChannelConfig cfg = new ChannelConfig(v.id(), v.name(), v.settings(), secrets(ownerId, channelId));
        Instant now = Instant.now();
        Scope scope = new Scope(Extent.WHOLE, List.of("test-region"), List.of("system"), Map.of(), List.of(), List.of(), List.of(),
                1, 1, List.of("test-region"), true);
        SortedMap<String, Integer> layers = new TreeMap<>(Map.of("origin:nginx", 1));
        Evidence evidence = new Evidence(1, new TreeSet<>(List.of(502)), new TreeSet<>(List.of("assertion_failed")), layers, true,
                List.of(), List.of(), 0, null, null);
        Explanation explanation = new Explanation("Test alert from Gatewatch: this is what an outage looks like",
                "nginx at the origin answered 502 (sample).", "All agree (sample).", "None: this is a test.",
                "Nothing to do; the channel works.");
        Alert alert = new Alert("opened", 0, 0, "Test monitor (" + v.name() + ")", PublicUrl.of(config), "outage",
                now.minusSeconds(75), null, scope, evidence, explanation, PublicUrl.of(config), now, null);
        Outcome o = channel.send(channel.build(alert, cfg), cfg, "gw-test-" + channelId + "-" + now.toEpochMilli());
        return new ChannelView.TestResult(o.result() == Outcome.Result.DELIVERED, o.result().name().toLowerCase(java.util.Locale.ROOT),
                o.response());
    }

    /** The latest alerts sent through a channel, newest first. */
    public List<ChannelView.DeliveryView> deliveries(long ownerId, long channelId, int limit) {
        get(ownerId, channelId);
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", "must be between 1 and 500");
        }
        List<ChannelView.DeliveryView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select n.*, coalesce(e.type, 'digest') as type, e.incident_id from notification n
                left join incident_event e on e.id = n.event_id
                where n.channel_id = ? order by n.id desc limit ?
                """)) {
            ps.setLong(1, channelId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long incident = Sql.longValue(rs, "incident_id");
                    out.add(new ChannelView.DeliveryView(rs.getLong("id"), incident, rs.getString("type"),
                            rs.getString("status"), rs.getString("muted_by"), rs.getInt("attempts"), Sql.instant(rs, "created_at"), Sql.instant(rs, "next_attempt_at"),
                            Sql.instant(rs, "delivered_at"), rs.getString("last_response"), rs.getString("last_error"),
                            rs.getInt("unconfirmed_sends")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private record Valid(String type, String name, Map<String, Object> settings, Map<String, String> secrets, boolean enabled,
                         List<Long> monitorIds) {
    }

    /** Makes exactly {@code monitorIds} (of the owner's monitors) alert through the channel; null leaves them as they are. */
    private static void attach(Connection c, long ownerId, long channelId, List<Long> monitorIds) throws SQLException {
        if (monitorIds == null) {
            return;
        }
        Array ids = c.createArrayOf("bigint", monitorIds.toArray());
        try (PreparedStatement add = c.prepareStatement("""
                update monitor set channel_ids = channel_ids || to_jsonb(?::bigint), updated_at = now()
                where owner_id = ? and id = any(?) and not channel_ids @> to_jsonb(?::bigint)
                """); PreparedStatement remove = c.prepareStatement("""
                update monitor set channel_ids = (select coalesce(jsonb_agg(x), '[]'::jsonb)
                    from jsonb_array_elements(channel_ids) x where x <> to_jsonb(?::bigint)), updated_at = now()
                where owner_id = ? and channel_ids @> to_jsonb(?::bigint) and not (id = any(?))
                """)) {
            add.setLong(1, channelId);
            add.setLong(2, ownerId);
            add.setArray(3, ids);
            add.setLong(4, channelId);
            add.executeUpdate();
            remove.setLong(1, channelId);
            remove.setLong(2, ownerId);
            remove.setLong(3, channelId);
            remove.setArray(4, ids);
            remove.executeUpdate();
        }
    }

    private Valid validate(ChannelRequest r, Map<String, String> storedSecrets, long ownerId) {
        if (r == null) {
            throw new InvalidInputException("type", "a channel needs a type: one of " + new TreeSet<>(notifier.types()));
        }
        List<FieldError> errors = new ArrayList<>();
        AlertChannel channel = r.type() == null ? null : notifier.channel(r.type());
        if (channel == null) {
            errors.add(new FieldError("type", "must be one of " + new TreeSet<>(notifier.types())));
        }
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            errors.add(new FieldError("name", "must be 1 to 100 characters"));
        }
        Map<String, Object> settings = r.settings() == null ? Map.of() : r.settings();
        Map<String, String> secrets = new HashMap<>(storedSecrets);
        if (r.secrets() != null) {
            r.secrets().forEach((k, val) -> {
                if (val != null) {
                    secrets.put(k, val.strip());
                }
            });
        }
        if (channel != null) {
            int before = errors.size();
            for (String key : settings.keySet()) {
                if (channel.secretKeys().contains(key)) {
                    errors.add(new FieldError("settings." + key, "is a secret: send it in secrets, it is never shown"));
                }
            }
            for (String key : secrets.keySet()) {
                if (!channel.secretKeys().contains(key)) {
                    errors.add(new FieldError("secrets." + key, "is not a secret of a " + r.type() + " channel"));
                }
            }
            // Misplaced secrets first; otherwise every field's problem at once, so a form can mark them all.
            if (errors.size() == before) {
                errors.addAll(channel.validate(new ChannelConfig(0, name, settings, secrets)));
            }
            DigestSchedule.of(settings, config.notifier().digestAt(), errors);
        }
        List<Long> monitors = r.monitorIds() == null ? null : OwnedMonitors.check(dataSource, ownerId, "monitorIds", r.monitorIds(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Valid(r.type(), name, settings, secrets, r.enabled() == null || r.enabled(), monitors);
    }

    private Map<String, String> secrets(long ownerId, long channelId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select secrets::text from alert_channel where id = ? and owner_id = ?")) {
            ps.setLong(1, channelId);
            ps.setLong(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundProblem("channel " + channelId);
                }
                return json.readValue(rs.getString(1), new TypeReference<Map<String, String>>() { });
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<ChannelView> query(String where, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select *, settings::text as s, secrets::text as x, (select coalesce(jsonb_agg(m.id order by m.id), '[]'::jsonb) from monitor m"
                        + " where m.owner_id = alert_channel.owner_id and m.channel_ids @> to_jsonb(alert_channel.id))::text as monitors"
                        + " from alert_channel " + where)) {
            Sql.bind(ps, params);
            List<ChannelView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> settings = json.readValue(rs.getString("s"), new TypeReference<Map<String, Object>>() { });
                    Map<String, String> secrets = json.readValue(rs.getString("x"), new TypeReference<Map<String, String>>() { });
                    out.add(new ChannelView(rs.getLong("id"), rs.getString("type"), rs.getString("name"), settings,
                            new TreeSet<>(secrets.keySet()).stream().toList(), rs.getBoolean("enabled"),
                            json.readValue(rs.getString("monitors"), new TypeReference<List<Long>>() { }), Sql.instant(rs, "last_success_at"),
                            Sql.instant(rs, "last_error_at"), rs.getString("last_error"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at")));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("reading channels failed", e);
        }
    }

    private static int count(Connection c, long ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from alert_channel where owner_id = ?")) {
            ps.setLong(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
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
