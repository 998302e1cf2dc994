package dev.gatewatch.account;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.NotFoundProblem;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Sign-up and API tokens. Every token operation is scoped to one owner. */
@ApplicationScoped
public class AccountService {

    /** A token as listed; the secret itself is never returned again after creation. */
    public record TokenView(long id, String name, String prefix, Instant createdAt, Instant expiresAt,
            Instant lastUsedAt, Instant revokedAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id, t.name, t.prefix, t.createdAt, t.expiresAt, t.lastUsedAt, t.revokedAt);
        }
    }

    /** The answer to creating a token: the only time its secret is shown. */
    public record CreatedToken(TokenView token, String secret) {
    }

    static final int MIN_PASSWORD = 10;
    /** bcrypt reads only the first 72 bytes; refuse longer rather than silently ignore the rest. */
    static final int MAX_PASSWORD_BYTES = 72;
    static final int MAX_TOKENS = 100;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");

    private final PasswordHashing hashing;

    public AccountService(PasswordHashing hashing) {
        this.hashing = hashing;
    }

    /**
     * Creates an account. An address that is already registered gets the same answer and costs the same time, but
     * nothing is created or changed: sign-up must not tell a stranger which e-mails have accounts.
     *
     * @throws PasswordHashing.Busy when the hashing pool is full
     */
    public void signUp(String email, String password) {
        String normalized = Owner.normalizeEmail(email);
        List<FieldError> errors = new ArrayList<>();
        if (normalized.length() > 254 || !EMAIL.matcher(normalized).matches()) {
            errors.add(new FieldError("email", "must be an e-mail address"));
        }
        checkPassword(password, errors, "password");
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String hash = hashing.hash(password);
        QuarkusTransaction.requiringNew().run(() -> {
            // on conflict: someone registered the address meanwhile, and the answer is the same either way
            Owner.getEntityManager().createNativeQuery("""
                    insert into owner (email, password_hash, created_at) values (?1, ?2, now()) on conflict do nothing
                    """).setParameter(1, normalized).setParameter(2, hash).executeUpdate();
        });
    }

    public static void checkPassword(String password, List<FieldError> errors, String field) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            errors.add(new FieldError(field, "must be at least " + MIN_PASSWORD + " characters"));
        } else if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            errors.add(new FieldError(field, "must be at most " + MAX_PASSWORD_BYTES + " bytes"));
        }
    }

    @Transactional
    public CreatedToken createToken(long ownerId, String name, Integer expiresInDays) {
        List<FieldError> errors = new ArrayList<>();
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            errors.add(new FieldError("name", "must be 1 to 100 characters"));
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
            errors.add(new FieldError("expiresInDays", "must be between 1 and 3650, or left out for no expiry"));
        }
        if (ApiToken.count("ownerId = ?1 and revokedAt is null", ownerId) >= MAX_TOKENS) {
            errors.add(new FieldError("name", "you already have " + MAX_TOKENS + " active tokens; revoke one first"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String secret = TokenSecret.generate();
        ApiToken token = store(ownerId, trimmed, secret,
                expiresInDays == null ? null : Instant.now().plus(Duration.ofDays(expiresInDays)));
        return new CreatedToken(TokenView.of(token), secret);
    }

    ApiToken store(long ownerId, String name, String secret, Instant expiresAt) {
        ApiToken token = new ApiToken();
        token.ownerId = ownerId;
        token.name = name;
        token.tokenHash = TokenSecret.hash(secret);
        token.prefix = TokenSecret.displayPrefix(secret);
        token.createdAt = Instant.now();
        token.expiresAt = expiresAt;
        token.persist();
        return token;
    }

    public List<TokenView> tokens(long ownerId) {
        return ApiToken.<ApiToken>list("ownerId = ?1 order by id desc", ownerId).stream().map(TokenView::of).toList();
    }

    @Transactional
    public TokenView revokeToken(long ownerId, long tokenId) {
        ApiToken token = ApiToken.<ApiToken>find("id = ?1 and ownerId = ?2", tokenId, ownerId).firstResultOptional()
                .orElseThrow(() -> new NotFoundProblem("token " + tokenId));
        if (token.revokedAt == null) {
            token.revokedAt = Instant.now();
        }
        return TokenView.of(token);
    }
}
