package dev.gatewatch.alerting.digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.alerting.Digest;
import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.config.PublicUrl;
import io.agroal.api.AgroalDataSource;

/**
 * The daily digest of failures that did not page (deploy blips, transients), per channel that asks for it. Each
 * period's digest is one row (unique per channel and period end) and, when there was anything, one outbox
 * notification written with it, so any number of notifiers can compose at once and each digest goes out once.
 */
@ApplicationScoped
public class Digests {

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final GatewatchConfig config;

    public Digests(AgroalDataSource dataSource, ObjectMapper json, GatewatchConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
    }

    /** Writes the digests due at {@code now} that are not written yet; returns how many were queued for sending. */
    public int compose(Instant now) throws SQLException {
        int queued = 0;
        try (Connection c = dataSource.getConnection()) {
            List<long[]> channels = new ArrayList<>();
            List<DigestSchedule> schedules = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, owner_id, settings::text, created_at from alert_channel where enabled and settings @> '{\"digest\": true}'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DigestSchedule s = DigestSchedule.of(read(rs.getString(3)), config.notifier().digestAt(), new ArrayList<>());
                    // A channel gets digests for periods that end after it was created, never a backlog.
                    if (s.enabled() && s.latestEnd(now).isAfter(Sql.instant(rs, "created_at"))) {
                        channels.add(new long[] {rs.getLong(1), rs.getLong(2)});
                        schedules.add(s);
                    }
                }
            }
            for (int i = 0; i < channels.size(); i++) {
                queued += composeOne(c, channels.get(i)[0], channels.get(i)[1], schedules.get(i), now) ? 1 : 0;
            }
        }
        return queued;
    }

    private boolean composeOne(Connection c, long channelId, long ownerId, DigestSchedule s, Instant now) throws SQLException {
        Instant end = s.latestEnd(now);
        Instant start = s.startOf(end);
        if (exists(c, channelId, end)) {
            return false;
        }
        Digest digest = new Digest(start, end, s.timeZone().getId(), blips(c, ownerId, start, end), PublicUrl.of(config) + "/");
        c.setAutoCommit(false);
        try {
            Long id = null;
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into digest (owner_id, channel_id, period_start, period_end, content) values (?, ?, ?, ?, ?::jsonb)
                    on conflict (channel_id, period_end) do nothing returning id
                    """)) {
                ps.setLong(1, ownerId);
                ps.setLong(2, channelId);
                ps.setTimestamp(3, Timestamp.from(start));
                ps.setTimestamp(4, Timestamp.from(end));
                ps.setString(5, json.writeValueAsString(digest));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    }
                }
            }
            boolean queue = id != null && !digest.blips().isEmpty();
            if (queue) {
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into notification (digest_id, channel_id, owner_id, idempotency_key) values (?, ?, ?, ?)
                        """)) {
                    ps.setLong(1, id);
                    ps.setLong(2, channelId);
                    ps.setLong(3, ownerId);
                    ps.setString(4, "gw-digest-" + id + "-" + channelId);
                    ps.executeUpdate();
                }
            }
            c.commit();
            return queue;
        } catch (SQLException | JsonProcessingException e) {
            c.rollback();
            throw new SQLException("composing the digest of channel " + channelId + " failed: " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean exists(Connection c, long channelId, Instant end) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from digest where channel_id = ? and period_end = ?")) {
            ps.setLong(1, channelId);
            ps.setTimestamp(2, Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<Digest.Blip> blips(Connection c, long ownerId, Instant start, Instant end) throws SQLException {
        List<Digest.Blip> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select i.monitor_id, m.name, m.url, i.kind, i.started_at, i.resolved_at, i.deployment_id
                from incident i join monitor m on m.id = i.monitor_id
                where i.owner_id = ? and i.status = 'resolved' and i.kind in ('deploy_blip', 'transient')
                  and i.resolved_at >= ? and i.resolved_at < ?
                order by i.started_at, i.id
                """)) {
            ps.setLong(1, ownerId);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long deployment = Sql.longValue(rs, "deployment_id");
                    out.add(new Digest.Blip(rs.getLong("monitor_id"), rs.getString("name"), rs.getString("url"), rs.getString("kind"),
                            Sql.instant(rs, "started_at"), Sql.instant(rs, "resolved_at"), deployment));
                }
            }
        }
        return out;
    }

    private Map<String, Object> read(String settings) {
        try {
            return json.readValue(settings, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
