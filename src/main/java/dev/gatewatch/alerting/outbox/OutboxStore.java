package dev.gatewatch.alerting.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.sql.Timestamp;

import javax.sql.DataSource;

import dev.gatewatch.alerting.mute.Mute;
import dev.gatewatch.alerting.mute.Release;
import dev.gatewatch.api.Durations;
import dev.gatewatch.api.Sql;
import dev.gatewatch.api.Storable;
import dev.gatewatch.alerting.Outcome;

/**
 * The notification outbox in PostgreSQL: what becomes of a claimed alert (held, postponed, suppressed, set aside) and
 * the outcome of each attempt. {@link OutboxClaims} claims them.
 */
public final class OutboxStore {

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

    private final DataSource dataSource;

    public OutboxStore(DataSource dataSource) {
        this.dataSource = dataSource;
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
            if (!Sql.dataError(e)) {
                throw e;
            }
            Sql.update(dataSource, update, "set aside: its data could not be stored", id, nodeId);
        }
    }

    /** Text PostgreSQL stores: nothing it refuses, at most 1000 characters. */
    static String printable(String text) {
        String t = text == null ? "" : new Storable().text(text);
        return t.length() > 1000 ? t.substring(0, 1000) + "…" : t;
    }

    /** When the alert that has waited longest for delivery became due, if any is due now. */
    public Optional<Instant> oldestDue() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return oldestDue(c);
        }
    }

    /** {@link #oldestDue()} on a connection of the caller's. */
    public static Optional<Instant> oldestDue(Connection c) throws SQLException {
        return Optional.ofNullable(depth(c).oldestDue());
    }

    /** Alerts not delivered or given up yet, and when the one that has waited longest became due (null: none due). */
    record Depth(long pending, Instant oldestDue) {
    }

    static Depth depth(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) as pending, min(next_attempt_at) filter "
                + "(where next_attempt_at <= now()) as oldest from notification where status in ('pending', 'sending')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Depth(rs.getLong("pending"), Sql.instant(rs, "oldest"));
        }
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
                    error = "gave up after " + d.attempts() + " attempts over " + Durations.words(giveUpAfter) + ": " + outcome.response();
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
