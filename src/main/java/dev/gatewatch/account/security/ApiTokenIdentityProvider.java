package dev.gatewatch.account.security;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;

import dev.gatewatch.account.ApiToken;
import dev.gatewatch.account.Owner;
import dev.gatewatch.account.TokenSecret;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/** Looks up a bearer token by its hash; revoked and expired tokens fail. */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> lookUp(request.getToken().getToken()));
    }

    @ActivateRequestContext
    @Transactional
    SecurityIdentity lookUp(String secret) {
        if (!TokenSecret.wellFormed(secret)) {
            throw new AuthenticationFailedException("malformed token");
        }
        Instant now = Instant.now();
        ApiToken token = ApiToken.<ApiToken>find("tokenHash", TokenSecret.hash(secret)).firstResultOptional()
                .filter(t -> t.usable(now))
                .orElseThrow(() -> new AuthenticationFailedException("unknown, revoked or expired token"));
        // Coarse last-used stamp: one write a minute per token at most.
        if (token.lastUsedAt == null || token.lastUsedAt.isBefore(now.minusSeconds(60))) {
            token.lastUsedAt = now;
        }
        Owner owner = Owner.findById(token.ownerId);
        return OwnerIdentities.of(owner, "token");
    }
}
