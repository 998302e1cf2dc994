package dev.gatewatch.alerting.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.sql.Timestamp;
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
import dev.gatewatch.alerting.mute.Mute;
import dev.gatewatch.alerting.mute.Release;
import dev.gatewatch.api.Sql;
import dev.gatewatch.alerting.Outcome;
import dev.gatewatch.analysis.model.Evidence;
import dev.gatewatch.analysis.model.Explanation;
import dev.gatewatch.analysis.model.Scope;

/** The notification outbox in PostgreSQL: claims with SKIP LOCKED and a lease, and the outcome of each attempt. */
public final class OutboxStore {

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

    // How the incident and its other alerts on the same channel stand, for Release.
    private static final String SITUATION = """
            select i.status <> 'resolved' as open,
                exists (select 1 from notification o join incident_event oe on oe.id = o.event_id
                        where oe.incident_id = i.id and o.channel_id = n.channel_id and o.id > n.id
                          and oe.type in ('opened', 'escalated') and o.status not in ('suppressed', 'failed')) as superseded,
                count(o.id) filter (where o.status = 'delivered') as delivered,
                count(o.id) filter (where o.status in ('pending', 'sending', 'muted')) as in_flight,
                count(o.id) filter (where o.status = 'suppressed') as suppressed,
                count(o.id) filter (where o.status = 'failed') as failed,
                max(o.next_attempt_at) filter (where o.status in ('pending', 'sending', 'muted')) as opening_due
            from notification n join incident_event e on e.id = n.event_id join incident i on i.id = e.incident_id
            left join (notification o join incident_event oe on oe.id = o.event_id and oe.type in ('opened', 'escalated'))
                 on oe.incident_id = i.id and o.channel_id = n.channel_id and o.id <> n.id
            where n.id = ?
            group by i.id, i.status, n.id, n.channel_id
            """;

    /** Told of each row set aside because its data cannot be read or stored: it fails, visibly, and the rest go on. */
    @FunctionalInterface
    public interface SetAside {
        void report(long notificationId, String stage, String reason);
    }

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final String baseUrl;
    private final SetAside setAside;

    public OutboxStore(DataSource dataSource, ObjectMapper json, String baseUrl, SetAside setAside) {
        this.dataSource = dataSource;
        this.json = json;
        this.baseUrl = baseUrl;
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
        fail(id, nodeId, reason);
        setAside.report(id, "load", reason);
    }

    /**
     * Marks a claimed notification failed for a reason the owner reads in the channel's deliveries; never sent again.
     * If even the reason is refused, a fixed one is stored.
     */
    public void fail(long id, String nodeId, String reason) throws SQLException {
        String update = "update notification set status = 'failed', last_error = ?, claimed_by = null, claimed_until = null"
                + " where id = ? and claimed_by = ?";
        try {
            Sql.update(dataSource, update, printable(reason), id, nodeId);
        } catch (IllegalStateException e) {
            if (!dataError(e)) {
                throw e;
            }
            Sql.update(dataSource, update, "set aside: its data could not be stored", id, nodeId);
        }
    }

    /** True for PostgreSQL's data errors (SQLSTATE classes 22 and 23): the row is at fault, retrying will not help. */
    public static boolean dataError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("22") || s.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /** Text PostgreSQL stores: no NUL bytes, at most 1000 characters. */
    static String printable(String text) {
        String t = text == null ? "" : text.replace('\0', ' ');
        return t.length() > 1000 ? t.substring(0, 1000) + "…" : t;
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

    /** What {@link Release} needs to know about an incident alert that is due. */
    public Release.Situation situation(Delivery d) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SITUATION)) {
            ps.setLong(1, d.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Release.Situation(d.alert().event(), d.alert().heldBy() != null, false, false, Release.Opening.NONE, null);
                }
                Release.Opening opening = rs.getInt("delivered") > 0 ? Release.Opening.DELIVERED
                        : rs.getInt("in_flight") > 0 ? Release.Opening.IN_FLIGHT
                        : rs.getInt("suppressed") > 0 ? Release.Opening.SUPPRESSED
                        : rs.getInt("failed") > 0 ? Release.Opening.FAILED : Release.Opening.NONE;
                return new Release.Situation(d.alert().event(), d.alert().heldBy() != null, rs.getBoolean("open"), rs.getBoolean("superseded"),
                        opening, Sql.instant(rs, "opening_due"));
            }
        }
    }

    /** Holds a claimed alert until its mute ends; the attempt does not count. */
    public void hold(Delivery d, String nodeId, Mute mute) throws SQLException {
        settle(d, nodeId, "muted", mute.by(), mute.until(), null);
    }

    /** Puts a claimed alert back until {@code until}; the attempt does not count. */
    public void postpone(Delivery d, String nodeId, Instant until) throws SQLException {
        settle(d, nodeId, "pending", d.alert().heldBy(), until, null);
    }

    /** Never sends a claimed alert, for a reason the owner can read in the channel's deliveries. */
    public void suppress(Delivery d, String nodeId, String reason) throws SQLException {
        settle(d, nodeId, "suppressed", d.alert().heldBy(), null, reason);
    }

    private void settle(Delivery d, String nodeId, String status, String mutedBy, Instant next, String error) throws SQLException {
        Sql.update(dataSource, """
                update notification set status = ?, muted_by = ?, next_attempt_at = coalesce(?, next_attempt_at), last_error = ?,
                    attempts = attempts - 1, claimed_by = null, claimed_until = null
                where id = ? and claimed_by = ?
                """, status, mutedBy, next == null ? null : Timestamp.from(next), error, d.id(), nodeId);
    }

    /**
     * Stores how an attempt went, if this node still holds the claim. A retry after {@code giveUpAfter} since the
     * alert was queued, or a permanent refusal, marks it failed and shows the answer on the channel.
     */
    public void record(Delivery d, String nodeId, Outcome outcome, Duration retryIn, Duration giveUpAfter) throws SQLException {
        String status;
        String error = null;
        Instant next = null;
        switch (outcome.result()) {
            case DELIVERED -> status = "delivered";
            case PERMANENT -> {
                status = "failed";
                error = "refused by the receiver: " + outcome.response();
            }
            default -> {
                if (Instant.now().plus(retryIn).isAfter(d.createdAt().plus(giveUpAfter))) {
                    status = "failed";
                    error = "gave up after " + d.attempts() + " attempts over " + giveUpAfter.toHours() + " h: " + outcome.response();
                } else {
                    status = "pending";
                    error = outcome.response();
                    next = Instant.now().plus(retryIn);
                }
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    update notification set status = ?, last_response = ?, last_error = ?,
                        next_attempt_at = coalesce(?, next_attempt_at), claimed_by = null, claimed_until = null,
                        unconfirmed_sends = unconfirmed_sends + ?,
                        delivered_at = case when ? = 'delivered' then now() end
                    where id = ? and claimed_by = ?
                    """)) {
                ps.setString(1, status);
                ps.setString(2, outcome.response());
                ps.setString(3, error);
                ps.setObject(4, next == null ? null : OffsetDateTime.ofInstant(next, java.time.ZoneOffset.UTC));
                ps.setInt(5, outcome.unconfirmed() ? 1 : 0);
                ps.setString(6, status);
                ps.setLong(7, d.id());
                ps.setString(8, nodeId);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return;
                }
            }
            if (status.equals("delivered")) {
                try (PreparedStatement ps = c.prepareStatement("update alert_channel set last_success_at = now() where id = ?")) {
                    ps.setLong(1, d.channel().id());
                    ps.executeUpdate();
                }
            } else if (status.equals("failed")) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update alert_channel set last_error_at = now(), last_error = ? where id = ?")) {
                    ps.setString(1, error);
                    ps.setLong(2, d.channel().id());
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
    }
}
