package dev.gatewatch.account.login;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.codec.binary.Base32;

import dev.gatewatch.account.Owner;
import dev.gatewatch.account.TokenSecret;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The optional second factor: a TOTP authenticator app, enrolled by confirming one code, with ten single-use recovery
 * codes for a lost phone. Codes at login are throttled per account, so the million six-digit codes cannot be tried.
 */
@ApplicationScoped
public class TwoFactorService {

    /** What the enrolment page shows: the secret and the URI an app scans. */
    public record Enrolment(String secret, String uri) {
    }

    /** How entering a code at login ended. */
    public sealed interface CodeOutcome {
        record Accepted(String token) implements CodeOutcome {
        }

        record Wrong() implements CodeOutcome {
        }

        record Throttled(Duration retryAfter) implements CodeOutcome {
        }

        /** No pending login behind the cookie (never, expired, or already used): log in again. */
        record Expired() implements CodeOutcome {
        }
    }

    static final int RECOVERY_CODES = 10;
    private static final String ISSUER = "Gatewatch";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final SessionService sessions;
    private final ThrottleStore throttle;
    private final Throttle perAccount;

    public TwoFactorService(DataSource dataSource, SessionService sessions, ThrottleStore throttle, GatewatchConfig config) {
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.throttle = throttle;
        GatewatchConfig.Login c = config.web().login();
        this.perAccount = new Throttle(c.accountFreeFailures(), c.maxLock(), c.forgetAfter());
    }

    public boolean enabled(long ownerId) {
        return QuarkusTransaction.requiringNew().call(() -> Owner.<Owner>findById(ownerId).secondFactor());
    }

    public long recoveryCodesLeft(long ownerId) {
        return Sql.number(dataSource, "select count(*) from totp_recovery_code where owner_id = ? and used_at is null", ownerId);
    }

    /** Starts (or restarts) enrolment with a new secret; the second factor holds only once {@link #enable} confirms it. */
    public Enrolment begin(long ownerId) {
        String secret = Totp.newSecret();
        String email = QuarkusTransaction.requiringNew().call(() -> {
            Owner o = Owner.findById(ownerId);
            if (o.secondFactor()) {
                throw new InvalidInputException("code", "two-factor login is already on; turn it off first to enrol another app");
            }
            o.totpSecret = secret;
            return o.email;
        });
        return new Enrolment(secret, Totp.uri(ISSUER, email, secret));
    }

    /** The enrolment in progress, to show again after a wrong code. */
    public Optional<Enrolment> pending(long ownerId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Owner o = Owner.findById(ownerId);
            return o.totpSecret == null || o.secondFactor() ? Optional.<Enrolment>empty()
                    : Optional.of(new Enrolment(o.totpSecret, Totp.uri(ISSUER, o.email, o.totpSecret)));
        });
    }

    /**
     * Turns the second factor on once {@code code} matches the secret being enrolled; returns the recovery codes
     * (shown once). Every other session of the owner ends: they were opened without it.
     *
     * @throws InvalidInputException naming {@code code}
     */
    public List<String> enable(long ownerId, String code, String keepToken) {
        List<String> codes = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            Owner o = Owner.findById(ownerId);
            if (o.secondFactor() || o.totpSecret == null) {
                throw new InvalidInputException("code", "there is no enrolment in progress; start again");
            }
            OptionalLong step = Totp.verify(o.totpSecret, code, Instant.now(), null);
            if (step.isEmpty()) {
                throw new InvalidInputException("code", "does not match: check the phone's clock and enter the code shown now");
            }
            o.totpEnabledAt = Instant.now();
            o.totpLastStep = step.getAsLong();
        });
        Sql.update(dataSource, "delete from totp_recovery_code where owner_id = ?", ownerId);
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String c = recoveryCode();
            codes.add(c);
            Sql.update(dataSource, "insert into totp_recovery_code (owner_id, code_hash) values (?, ?)", ownerId, TokenSecret.hash(c));
        }
        sessions.endOthers(ownerId, keepToken);
        return codes;
    }

    /** Turns it off (the caller has checked the password); recovery codes go with it. */
    public void disable(long ownerId) {
        QuarkusTransaction.requiringNew().run(() -> {
            Owner o = Owner.findById(ownerId);
            o.totpSecret = null;
            o.totpEnabledAt = null;
            o.totpLastStep = null;
        });
        Sql.update(dataSource, "delete from totp_recovery_code where owner_id = ?", ownerId);
    }

    /** A code (from the app, or a recovery code) for the pending login behind {@code pendingToken}. */
    public CodeOutcome complete(String pendingToken, String code, String clientAddress, String userAgent) {
        Optional<SessionService.Session> pending = sessions.findPending(pendingToken);
        if (pending.isEmpty()) {
            return new CodeOutcome.Expired();
        }
        long ownerId = pending.get().ownerId();
        String subject = "code:" + ownerId;
        Duration wait = throttle.tryStart(List.of(new ThrottleStore.Subject(subject, perAccount)), Instant.now());
        if (!wait.isZero()) {
            return new CodeOutcome.Throttled(wait);
        }
        if (!accept(ownerId, code)) {
            return new CodeOutcome.Wrong();
        }
        throttle.forget(subject);
        return sessions.promote(pendingToken, clientAddress, userAgent).<CodeOutcome>map(CodeOutcome.Accepted::new)
                .orElseGet(CodeOutcome.Expired::new);
    }

    private boolean accept(long ownerId, String code) {
        boolean totp = QuarkusTransaction.requiringNew().call(() -> {
            Owner o = Owner.findById(ownerId);
            OptionalLong step = Totp.verify(o.totpSecret, code, Instant.now(), o.totpLastStep);
            step.ifPresent(s -> o.totpLastStep = s);
            return step.isPresent();
        });
        if (totp) {
            return true;
        }
        String normalized = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
        return Sql.update(dataSource, "update totp_recovery_code set used_at = now() where owner_id = ? and code_hash = ? and used_at is null",
                ownerId, TokenSecret.hash(normalized)) == 1;
    }

    /** Ten base32 characters in two groups: 50 random bits, typed from paper. */
    private static String recoveryCode() {
        byte[] bytes = new byte[7];
        RANDOM.nextBytes(bytes);
        String s = new Base32().encodeToString(bytes).toLowerCase(Locale.ROOT).substring(0, 10);
        return s.substring(0, 5) + "-" + s.substring(5);
    }
}
