package dev.gatewatch.account.login;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.api.Sql;

/** The {@code login_throttle} rows, shared by every API node; each subject's row is locked while it is counted. */
@ApplicationScoped
public class ThrottleStore {

    /** A subject and the rule it is throttled by. */
    public record Subject(String key, Throttle rule) {
    }

    private final DataSource dataSource;

    public ThrottleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Starts a try for all {@code subjects} at {@code now}: if any of them must still wait, nothing is counted and the
     * longest wait is returned; otherwise the try is counted (as failed, until {@link #succeeded}) and zero returned.
     */
    public Duration tryStart(List<Subject> subjects, Instant now) {
        Duration[] wait = {Duration.ZERO};
        Sql.inTransaction(dataSource, "counting a login", c -> {
            Throttle.Record[] records = new Throttle.Record[subjects.size()];
            for (int i = 0; i < subjects.size(); i++) {
                records[i] = lock(c, subjects.get(i).key());
                Duration left = subjects.get(i).rule().waitLeft(records[i], now);
                if (left.compareTo(wait[0]) > 0) {
                    wait[0] = left;
                }
            }
            if (!wait[0].isZero()) {
                return;
            }
            for (int i = 0; i < subjects.size(); i++) {
                store(c, subjects.get(i).key(), subjects.get(i).rule().tried(records[i], now));
            }
        });
        return wait[0];
    }

    /** A try succeeded: the account starts over; the address gets back the one try it was charged. */
    public void succeeded(String account, String address) {
        forget(account);
        givenBack(address);
    }

    /** {@code subject} starts over (a second factor accepted). */
    public void forget(String subject) {
        Sql.update(dataSource, "delete from login_throttle where subject = ?", subject);
    }

    /** A try that never got its password checked (the node was busy), or that succeeded: the subjects get it back. */
    public void givenBack(String... subjects) {
        for (String subject : subjects) {
            Sql.update(dataSource, "update login_throttle set failures = greatest(failures - 1, 0) where subject = ?", subject);
        }
    }

    /** Forgets subjects whose last failure is older than {@code before} and that are not locked at {@code now}. */
    public int purge(Instant before, Instant now) {
        return Sql.update(dataSource, "delete from login_throttle where last_failure_at < ? and (locked_until is null or locked_until < ?)",
                Sql.at(before), Sql.at(now));
    }

    private static Throttle.Record lock(Connection c, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into login_throttle (subject, failures, last_failure_at) values (?, 0, 'epoch') on conflict do nothing
                """)) {
            ps.setString(1, subject);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select failures, last_failure_at, locked_until from login_throttle where subject = ? for update")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Throttle.Record(rs.getInt(1), Sql.instant(rs, "last_failure_at"), Sql.instant(rs, "locked_until"));
            }
        }
    }

    private static void store(Connection c, String subject, Throttle.Record r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update login_throttle set failures = ?, last_failure_at = ?, locked_until = ? where subject = ?")) {
            ps.setInt(1, r.failures());
            ps.setObject(2, Sql.at(r.lastFailureAt()));
            ps.setObject(3, r.lockedUntil() == null ? null : Sql.at(r.lockedUntil()));
            ps.setString(4, subject);
            ps.executeUpdate();
        }
    }
}
