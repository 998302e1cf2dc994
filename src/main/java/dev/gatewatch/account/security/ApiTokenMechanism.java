package dev.gatewatch.account.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.api.Problem;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/** {@code Authorization: Bearer gw_...} for the REST API and CI pipelines. */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    static final String SCHEME = "bearer";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!context.normalizedPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem(); // a stale token sent to a public page must not turn it into a login redirect
        }
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().nullItem();
        }
        String token = header.substring(7).trim();
        return identityProviderManager.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, SCHEME)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(HttpResponseStatus.UNAUTHORIZED.code(),
                HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"gatewatch\""));
    }

    /** The challenge with a problem+json body, so that API clients get the same error shape as everywhere else. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        return getChallenge(context).map(challenge -> {
            var response = context.response();
            if (!response.ended()) {
                response.setStatusCode(challenge.status);
                challenge.getHeaders().forEach((name, value) -> response.headers().set(name, value));
                response.putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE).end(Json.encode(Problem.of(challenge.status,
                        "Unauthorized", "Send a valid API token as Authorization: Bearer gw_…").at(context.normalizedPath())));
            }
            return true;
        });
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, SCHEME));
    }
}
