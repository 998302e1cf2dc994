package dev.gatewatch.account.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The token of a web UI session cookie, to be looked up by {@link SessionIdentityProvider}. */
public final class SessionRequest extends BaseAuthenticationRequest {

    private final String token;

    public SessionRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
