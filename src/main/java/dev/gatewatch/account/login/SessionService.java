package dev.gatewatch.account.login;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.account.TokenSecret;
import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;

/**
 * Web UI sessions kept in the database: the cookie holds 256 random bits, the table their SHA-256. Ending a session is
 * deleting its row, so logout and a password change take effect at once on every node, and there is no signing key
 * that could leak (from a log or a config dump) and let someone forge a cookie.
 */
@ApplicationScoped
public class SessionService {

    /** An open session and whose it is. */
    public record Session(long id, long ownerId, String email) {
    }

    static final String PREFIX = "gws_";
    private static final Pattern FORMAT = Pattern.compile("gws_[A-Za-z0-9_-]{43}");
    /** How long a session that owes the second factor waits for it. */
    static final Duration PENDING = Duration.ofMinutes(10);
    /** last_seen_at is written at most this often per session, not on every request. */
    private static final long TOUCH_SECONDS = 60;

    private final DataSource dataSource;
    private final GatewatchConfig.Sessions config;

    public SessionService(DataSource dataSource, GatewatchConfig config) {
        this.dataSource = dataSource;
        this.config = config.web().sessions();
    }

    /** Opens a session for {@code ownerId}; returns the cookie's token (the only time it exists outside the cookie). */
    public String open(long ownerId, String clientAddress, String userAgent) {
        return open(ownerId, clientAddress, userAgent, false);
    }

    /** Opens a session that still owes the second factor: it opens nothing but the code form, for a few minutes. */
    public String openPending(long ownerId, String clientAddress, String userAgent) {
        return open(ownerId, clientAddress, userAgent, true);
    }

    private String open(long ownerId, String clientAddress, String userAgent, boolean pending) {
        String token = TokenSecret.generate(PREFIX);
        Instant now = Instant.now();
        Sql.update(dataSource, """
                insert into web_session (owner_id, token_hash, created_at, last_seen_at, expires_at, client_address, user_agent,
                                         second_factor_pending)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """, ownerId, TokenSecret.hash(token), Sql.at(now), Sql.at(now), Sql.at(now.plus(pending ? PENDING : config.maxAge())),
                clip(clientAddress, 64), clip(userAgent, 200), pending);
        return token;
    }

    /** The open session {@code token} names, if any; one idle past the timeout or past its age is ended here. */
    public Optional<Session> find(String token) {
        return find(token, false);
    }

    /** The session {@code token} names if it still owes the second factor. */
    public Optional<Session> findPending(String token) {
        return find(token, true);
    }

    /** Turns the pending session {@code token} into a full one, under a new token (the old one ends). */
    public Optional<String> promote(String token, String clientAddress, String userAgent) {
        Optional<Session> pending = findPending(token);
        pending.ifPresent(s -> end(token));
        return pending.map(s -> open(s.ownerId(), clientAddress, userAgent));
    }

    private Optional<Session> find(String token, boolean pending) {
        if (token == null || !FORMAT.matcher(token).matches()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        try (var c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select s.id, s.owner_id, o.email, s.last_seen_at, s.expires_at from web_session s join owner o on o.id = s.owner_id
                where s.token_hash = ? and s.second_factor_pending = ?
                """)) {
            ps.setBytes(1, TokenSecret.hash(token));
            ps.setBoolean(2, pending);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long id = rs.getLong("id");
                Instant lastSeen = Sql.instant(rs, "last_seen_at");
                if (!Sql.instant(rs, "expires_at").isAfter(now) || !lastSeen.plus(config.idleTimeout()).isAfter(now)) {
                    Sql.update(dataSource, "delete from web_session where id = ?", id);
                    return Optional.empty();
                }
                if (lastSeen.plusSeconds(TOUCH_SECONDS).isBefore(now)) {
                    Sql.update(dataSource, "update web_session set last_seen_at = ? where id = ?", Sql.at(now), id);
                }
                return Optional.of(new Session(id, rs.getLong("owner_id"), rs.getString("email")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("looking up a session failed: " + e.getMessage(), e);
        }
    }

    /** Ends the session {@code token} names (logout); a no-op for an unknown or ended one. */
    public void end(String token) {
        if (token != null && FORMAT.matcher(token).matches()) {
            Sql.update(dataSource, "delete from web_session where token_hash = ?", TokenSecret.hash(token));
        }
    }

    /** Ends every session of {@code ownerId} (a password change); returns how many. */
    public int endAll(long ownerId) {
        return Sql.update(dataSource, "delete from web_session where owner_id = ?", ownerId);
    }

    /** Ends every session of {@code ownerId} but the one {@code keepToken} names (turning two-factor login on). */
    public int endOthers(long ownerId, String keepToken) {
        return Sql.update(dataSource, "delete from web_session where owner_id = ? and token_hash <> ?", ownerId,
                TokenSecret.hash(keepToken == null ? "" : keepToken));
    }

    /** Deletes sessions past their age or idle timeout at {@code now}. */
    public int purge(Instant now) {
        return Sql.update(dataSource, "delete from web_session where expires_at <= ? or last_seen_at <= ?",
                Sql.at(now), Sql.at(now.minus(config.idleTimeout())));
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = s.replaceAll("\\p{Cntrl}", "");
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
