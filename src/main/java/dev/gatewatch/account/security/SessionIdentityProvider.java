package dev.gatewatch.account.security;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.account.login.SessionService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Restores the owner from a server-side session; an ended session (logout, password change, deleted owner) fails. */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionRequest> {

    private final SessionService sessions;

    public SessionIdentityProvider(SessionService sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<SessionRequest> getRequestType() {
        return SessionRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> sessions.find(request.token())
                .map(s -> OwnerIdentities.of(s.ownerId(), s.email(), "session"))
                .orElseThrow(() -> new AuthenticationFailedException("no such session")));
    }
}
