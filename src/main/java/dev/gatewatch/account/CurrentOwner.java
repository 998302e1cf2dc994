package dev.gatewatch.account;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/** The owner behind the current request, whichever way they authenticated. */
@RequestScoped
public class CurrentOwner {

    public static final String OWNER_ID = "gatewatch.owner_id";

    private final SecurityIdentity identity;

    public CurrentOwner(SecurityIdentity identity) {
        this.identity = identity;
    }

    public long id() {
        Long id = identity.getAttribute(OWNER_ID);
        if (id == null) {
            throw new UnauthorizedException();
        }
        return id;
    }

    /** The owner, or null when the request carries no login (on the pages and endpoints anyone may use). */
    public Long idOrNull() {
        return identity.getAttribute(OWNER_ID);
    }

    public String email() {
        return identity.getPrincipal().getName();
    }
}
