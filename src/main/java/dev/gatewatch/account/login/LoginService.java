package dev.gatewatch.account.login;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.account.AccountService;
import dev.gatewatch.account.Owner;
import dev.gatewatch.account.PasswordHashing;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NulText;
import dev.gatewatch.config.GatewatchConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Logging in and changing the password: throttled per account and per client address before any password is hashed,
 * hashed on the bounded {@link PasswordHashing} pool, and ending in a server-side session (one that still owes the
 * second factor, for an account that has one).
 */
@ApplicationScoped
public class LoginService {

    /** How a login (or a password check) ended. */
    public sealed interface Outcome {
        /** Logged in: {@code token} goes into the session cookie. */
        record LoggedIn(long ownerId, String token) implements Outcome {
        }

        /** The password was right and a second factor is owed: {@code token} is a session that opens only the code form. */
        record CodeNeeded(long ownerId, String token) implements Outcome {
        }

        /** The password is right (a check without a session). */
        record Checked(Owner owner) implements Outcome {
        }

        /** Wrong e-mail or password (which of the two is not said). */
        record Refused() implements Outcome {
        }

        /** Too many failures lately: no password was checked; try again after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Outcome {
        }

        /** Too many logins at once on this node: no password was checked; try again in a moment. */
        record Busy() implements Outcome {
        }
    }

    private final ThrottleStore throttle;
    private final SessionService sessions;
    private final PasswordHashing hashing;
    private final Throttle perAccount;
    private final Throttle perAddress;

    public LoginService(ThrottleStore throttle, SessionService sessions, PasswordHashing hashing, GatewatchConfig config) {
        this.throttle = throttle;
        this.sessions = sessions;
        this.hashing = hashing;
        GatewatchConfig.Login c = config.web().login();
        this.perAccount = new Throttle(c.accountFreeFailures(), c.maxLock(), c.forgetAfter());
        this.perAddress = new Throttle(c.addressFreeFailures(), c.maxLock(), c.forgetAfter());
    }

    public Outcome logIn(String email, String password, String clientAddress, String userAgent) {
        Outcome check = check(email, password, clientAddress);
        if (!(check instanceof Outcome.Checked ok)) {
            return check;
        }
        if (ok.owner().secondFactor()) {
            return new Outcome.CodeNeeded(ok.owner().id, sessions.openPending(ok.owner().id, clientAddress, userAgent));
        }
        return new Outcome.LoggedIn(ok.owner().id, sessions.open(ok.owner().id, clientAddress, userAgent));
    }

    /** Checks {@code email}'s password, throttled like a login, without opening a session. */
    public Outcome check(String email, String password, String clientAddress) {
        if (hashing.saturated()) {
            return new Outcome.Busy();
        }
        if (NulText.contains(email) || NulText.contains(clientAddress)) {
            // no address holds U+0000, and PostgreSQL would refuse it as a key: a failed login like any other
            return new Outcome.Refused();
        }
        String account = "account:" + Owner.normalizeEmail(email);
        String address = "address:" + (clientAddress == null ? "unknown" : clientAddress);
        Duration wait = throttle.tryStart(List.of(new ThrottleStore.Subject(account, perAccount),
                new ThrottleStore.Subject(address, perAddress)), Instant.now());
        if (!wait.isZero()) {
            return new Outcome.Throttled(wait);
        }
        Owner owner = QuarkusTransaction.requiringNew().call(() -> Owner.findByEmail(email).orElse(null));
        boolean matches;
        try {
            matches = hashing.matches(password == null ? "" : password, owner == null ? null : owner.passwordHash);
        } catch (PasswordHashing.Busy busy) {
            // no password was checked: the try is given back
            throttle.givenBack(account, address);
            return new Outcome.Busy();
        }
        if (!matches) {
            return new Outcome.Refused();
        }
        throttle.succeeded(account, address);
        return new Outcome.Checked(owner);
    }

    /**
     * Changes {@code ownerId}'s password after checking the current one (throttled like a login), ends every session
     * of the owner and returns a new one for the browser that changed it. API tokens are kept: they are revoked on
     * their own page.
     *
     * @throws InvalidInputException naming {@code currentPassword} or {@code newPassword}
     */
    public Outcome changePassword(long ownerId, String currentPassword, String newPassword, String clientAddress, String userAgent) {
        List<FieldError> errors = new ArrayList<>();
        AccountService.checkPassword(newPassword, errors, "newPassword");
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Owner owner = QuarkusTransaction.requiringNew().call(() -> Owner.<Owner>findById(ownerId));
        Outcome check = check(owner.email, currentPassword, clientAddress);
        if (check instanceof Outcome.Refused) {
            throw new InvalidInputException("currentPassword", "is not your current password");
        }
        if (!(check instanceof Outcome.Checked)) {
            return check;
        }
        String hash;
        try {
            hash = hashing.hash(newPassword);
        } catch (PasswordHashing.Busy busy) {
            return new Outcome.Busy();
        }
        QuarkusTransaction.requiringNew().run(() -> Owner.<Owner>findById(ownerId).passwordHash = hash);
        sessions.endAll(ownerId);
        return new Outcome.LoggedIn(ownerId, sessions.open(ownerId, clientAddress, userAgent));
    }
}
