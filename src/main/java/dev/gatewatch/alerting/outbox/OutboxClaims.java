package dev.gatewatch.alerting.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.alerting.Alert;
import dev.gatewatch.alerting.ChannelConfig;
import dev.gatewatch.alerting.Digest;
import dev.gatewatch.analysis.model.Evidence;
import dev.gatewatch.analysis.model.Explanation;
import dev.gatewatch.analysis.model.Scope;
import dev.gatewatch.api.Sql;

/**
 * Claims due notifications from the outbox with SKIP LOCKED and a lease, at most a few in flight per channel, and
 * loads what is needed to send them.
 */
public final class OutboxClaims {

    // Due rows, at most perChannel in flight per channel counting the sends already out (of any notifier).
    private static final String CLAIM = """
            with busy as (
                select channel_id, count(*) as sending from notification
                where status = 'sending' and claimed_until >= now()
                group by channel_id),
            ranked as (
                select n.id, coalesce(b.sending, 0) + row_number() over (partition by n.channel_id order by n.next_attempt_at, n.id) as slot
                from notification n left join busy b on b.channel_id = n.channel_id
                where n.status in ('pending', 'sending', 'muted') and n.next_attempt_at <= now()
                  and (n.claimed_until is null or n.claimed_until < now())),
            due as (
                select n.id from notification n join ranked r on r.id = n.id
                where r.slot <= ? and n.status in ('pending', 'sending', 'muted') and n.next_attempt_at <= now()
                  and (n.claimed_until is null or n.claimed_until < now())
                order by n.next_attempt_at
                limit ?
                for update of n skip locked)
            update notification n set status = 'sending', claimed_by = ?, claimed_until = now() + ? * interval '1 millisecond',
                attempts = n.attempts + 1,
                -- still 'sending' with its claim run out: the notifier holding it vanished, perhaps after sending
                unconfirmed_sends = n.unconfirmed_sends + case when n.status = 'sending' then 1 else 0 end
            from due where n.id = due.id
            returning n.id
            """;

    /** Held while claiming, so that two notifiers counting a channel's sends in flight cannot both take its last slot. */
    private static final long CLAIM_LOCK = 0x67776e6f74696679L; // "gwnotify"

    private static final String LOAD = """
            select n.id, n.idempotency_key, n.attempts, n.unconfirmed_sends, n.created_at, n.owner_id, n.muted_by, e.type as event,
                   e.kind as event_kind, e.at, i.id as incident_id, i.started_at, i.resolved_at, i.scope::text, i.evidence::text,
                   i.explanation::text, m.id as monitor_id, m.name as monitor_name, m.url as monitor_url, d.content::text as digest,
                   c.id as channel_id, c.type as channel_type, c.name as channel_name, c.settings::text, c.secrets::text
            from notification n join alert_channel c on c.id = n.channel_id
            left join incident_event e on e.id = n.event_id left join incident i on i.id = e.incident_id
            left join monitor m on m.id = i.monitor_id left join digest d on d.id = n.digest_id
            where n.id = any(?)
            """;

    /** Told of each row set aside because its data cannot be read or stored: it fails, visibly, and the rest go on. */
    @FunctionalInterface
    public interface SetAside {
        void report(long notificationId, String stage, String reason);
    }

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final String baseUrl;
    private final OutboxStore store;
    private final SetAside setAside;

    public OutboxClaims(DataSource dataSource, ObjectMapper json, String baseUrl, OutboxStore store, SetAside setAside) {
        this.dataSource = dataSource;
        this.json = json;
        this.baseUrl = baseUrl;
        this.store = store;
        this.setAside = setAside;
    }

    /**
     * Claims up to {@code limit} due notifications for {@code lease}, keeping each channel at most {@code perChannel}
     * sends in flight; a crashed holder's claims come back after it.
     */
    public List<Delivery> claim(String nodeId, int limit, int perChannel, Duration lease) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, CLAIM_LOCK);
                    lock.execute();
                }
                try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                    ps.setInt(1, perChannel);
                    ps.setInt(2, limit);
                    ps.setString(3, nodeId);
                    ps.setLong(4, lease.toMillis());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            c.setAutoCommit(true);
            if (ids.isEmpty()) {
                return List.of();
            }
            List<Delivery> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(LOAD)) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            out.add(delivery(rs));
                        } catch (JsonProcessingException e) {
                            unreadable(rs.getLong("id"), nodeId, e.getOriginalMessage());
                        } catch (RuntimeException e) {
                            unreadable(rs.getLong("id"), nodeId, e.toString());
                        }
                    }
                }
            }
            return out;
        }
    }

    // One unreadable row must not hold up the others: it fails, visibly.
    private void unreadable(long id, String nodeId, String why) throws SQLException {
        String reason = "unreadable incident or channel data: " + why;
        store.fail(id, nodeId, reason);
        setAside.report(id, "load", reason);
    }

    private Delivery delivery(ResultSet rs) throws SQLException, JsonProcessingException {
        Alert alert = null;
        Digest digest = null;
        if (rs.getString("digest") != null) {
            digest = json.readValue(rs.getString("digest"), Digest.class);
        } else {
            long monitor = rs.getLong("monitor_id");
            long incident = rs.getLong("incident_id");
            alert = new Alert(rs.getString("event"), incident, monitor, rs.getString("monitor_name"),
                    rs.getString("monitor_url"), rs.getString("event_kind"), Sql.instant(rs, "started_at"), Sql.instant(rs, "resolved_at"),
                    json.readValue(rs.getString("scope"), Scope.class), json.readValue(rs.getString("evidence"), Evidence.class),
                    json.readValue(rs.getString("explanation"), Explanation.class),
                    baseUrl + "/monitors/" + monitor + "#incident-" + incident, Sql.instant(rs, "at"), rs.getString("muted_by"));
        }
        ChannelConfig channel = new ChannelConfig(rs.getLong("channel_id"), rs.getString("channel_name"),
                json.readValue(rs.getString("settings"), new TypeReference<Map<String, Object>>() { }),
                json.readValue(rs.getString("secrets"), new TypeReference<Map<String, String>>() { }));
        return new Delivery(rs.getLong("id"), rs.getString("idempotency_key"), rs.getInt("attempts"), rs.getInt("unconfirmed_sends"),
                Sql.instant(rs, "created_at"),
                rs.getString("channel_type"), channel, rs.getLong("owner_id"), alert, digest);
    }
}
