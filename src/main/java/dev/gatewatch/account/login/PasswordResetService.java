package dev.gatewatch.account.login;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.gatewatch.account.AccountService;
import dev.gatewatch.account.Owner;
import dev.gatewatch.account.PasswordHashing;
import dev.gatewatch.account.TokenSecret;
import dev.gatewatch.api.Durations;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NulText;
import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.config.PublicUrl;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * Password reset by e-mail: a link with 256 random bits (only their hash is stored) that works once, for
 * {@code gatewatch.web.login.reset-link-validity}. Asking answers the same whether or not the address has an account,
 * and the mail is sent in the background so the answer takes the same time; asking is throttled like logging in.
 */
@ApplicationScoped
public class PasswordResetService {

    private static final Logger LOG = Logger.getLogger(PasswordResetService.class);
    private static final Pattern FORMAT = Pattern.compile("gwr_[A-Za-z0-9_-]{43}");

    private final DataSource dataSource;
    private final ThrottleStore throttle;
    private final SessionService sessions;
    private final PasswordHashing hashing;
    private final ReactiveMailer mailer;
    private final Template mail;
    private final Throttle perAccount;
    private final Throttle perAddress;
    private final Duration validity;
    private final String baseUrl;

    public PasswordResetService(DataSource dataSource, ThrottleStore throttle, SessionService sessions, PasswordHashing hashing,
            ReactiveMailer mailer, @Location("mail/password-reset.txt") Template mail, GatewatchConfig config) {
        this.dataSource = dataSource;
        this.throttle = throttle;
        this.sessions = sessions;
        this.hashing = hashing;
        this.mailer = mailer;
        this.mail = mail;
        GatewatchConfig.Login c = config.web().login();
        // a few links an hour per address is plenty; more is someone filling a stranger's inbox
        this.perAccount = new Throttle(3, c.maxLock(), c.forgetAfter());
        this.perAddress = new Throttle(c.addressFreeFailures(), c.maxLock(), c.forgetAfter());
        this.validity = c.resetLinkValidity();
        String base = PublicUrl.of(config);
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public Duration validity() {
        return validity;
    }

    /**
     * Sends a reset link to {@code email} if it has an account; says nothing either way. Returns how long the
     * caller must wait first when throttled (zero otherwise).
     */
    public Duration request(String email, String clientAddress) {
        if (NulText.contains(email) || NulText.contains(clientAddress)) {
            return Duration.ZERO; // no address holds U+0000 (and PostgreSQL would refuse it as a key): the usual answer
        }
        String normalized = Owner.normalizeEmail(email);
        Duration wait = throttle.tryStart(List.of(new ThrottleStore.Subject("reset:" + normalized, perAccount),
                new ThrottleStore.Subject("reset-address:" + clientAddress, perAddress)), Instant.now());
        if (!wait.isZero()) {
            return wait;
        }
        Optional<Owner> owner = QuarkusTransaction.requiringNew().call(() -> Owner.findByEmail(normalized));
        if (owner.isEmpty()) {
            return Duration.ZERO;
        }
        String token = TokenSecret.generate("gwr_");
        Instant now = Instant.now();
        Sql.update(dataSource, "insert into password_reset (owner_id, token_hash, created_at, expires_at) values (?, ?, ?, ?)",
                owner.get().id, TokenSecret.hash(token), Sql.at(now), Sql.at(now.plus(validity)));
        String text = mail.data("email", normalized).data("validFor", Durations.words(validity))
                .data("link", baseUrl + "/password-reset/" + token).data("address", clientAddress == null ? "an unknown address" : clientAddress)
                .render();
        // in the background: an address with an account must not answer slower than one without
        mailer.send(Mail.withText(normalized, "Set a new Gatewatch password", text)).subscribe().with(
                ok -> LOG.infof("password reset link sent to owner %d", owner.get().id),
                failure -> LOG.warnf("password reset link for owner %d not sent: %s", owner.get().id, failure.getMessage()));
        return Duration.ZERO;
    }

    /** Whether {@code token} is a reset link that still works. */
    public boolean usable(String token) {
        return token != null && FORMAT.matcher(token).matches() && Sql.number(dataSource,
                "select count(*) from password_reset where token_hash = ? and used_at is null and expires_at > now()", TokenSecret.hash(token)) == 1;
    }

    /**
     * Sets {@code newPassword} through the link {@code token}, ends every session of the owner and every other
     * link; false when the link is unknown, used or expired.
     *
     * @throws InvalidInputException naming {@code newPassword}
     * @throws PasswordHashing.Busy  when the hashing pool is full
     */
    public boolean reset(String token, String newPassword) {
        List<FieldError> errors = new ArrayList<>();
        AccountService.checkPassword(newPassword, errors, "newPassword");
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!usable(token)) {
            return false;
        }
        String hash = hashing.hash(newPassword);
        Long[] owner = {null};
        Sql.inTransaction(dataSource, "resetting a password", c -> {
            try (var ps = c.prepareStatement("""
                    update password_reset set used_at = now()
                    where token_hash = ? and used_at is null and expires_at > now() returning owner_id
                    """)) {
                ps.setBytes(1, TokenSecret.hash(token));
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    owner[0] = rs.getLong(1);
                }
            }
            try (var ps = c.prepareStatement("update owner set password_hash = ? where id = ?")) {
                ps.setString(1, hash);
                ps.setLong(2, owner[0]);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("update password_reset set used_at = now() where owner_id = ? and used_at is null")) {
                ps.setLong(1, owner[0]);
                ps.executeUpdate();
            }
        });
        if (owner[0] == null) {
            return false;
        }
        sessions.endAll(owner[0]);
        return true;
    }
}
