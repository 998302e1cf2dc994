package dev.gatewatch.account.web;

import java.net.URI;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.gatewatch.account.security.SessionCookie;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Protects the cookie-authenticated web UI: hands every page a CSRF cookie, and refuses state-changing requests
 * that a browser says came from another site (Origin / Sec-Fetch-Site), the login form included.
 * The API is left alone: it authenticates with bearer tokens, which a browser never sends on its own.
 */
@ApplicationScoped
public class WebRequestFilter {

    /** Ahead of Quarkus' authentication handlers, so the login form is covered too. */
    static final int ORDER = -10_000;

    private final boolean secure;

    public WebRequestFilter(SessionCookie session) {
        this.secure = session.secure();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::filter);
    }

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    void filter(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.startsWith("/api/") || path.startsWith("/q/")) {
            rc.next();
            return;
        }
        if (!SAFE.contains(rc.request().method()) && crossSite(rc)) {
            rc.response().setStatusCode(403).putHeader("Content-Type", "application/problem+json")
                    .end("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                            + "\"detail\":\"Cross-site form submissions are refused\"}");
            return;
        }
        if (path.startsWith("/status/") || path.startsWith("/static/") || path.equals("/favicon.ico")) {
            // public and cacheable, with no form: no CSRF cookie to set (a cache would hand it to every visitor)
            rc.next();
            return;
        }
        Cookie existing = rc.request().getCookie(Csrf.COOKIE);
        String token = existing != null && existing.getValue().length() >= 16 ? existing.getValue() : null;
        if (token == null) {
            token = Csrf.newToken();
            rc.response().addCookie(Cookie.cookie(Csrf.COOKIE, token).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(secure || rc.request().isSSL()));
        }
        rc.put(Csrf.CONTEXT_KEY, token);
        rc.next();
    }

    static boolean crossSite(RoutingContext rc) {
        String fetchSite = rc.request().getHeader("Sec-Fetch-Site");
        if ("cross-site".equalsIgnoreCase(fetchSite)) {
            return true;
        }
        String origin = rc.request().getHeader("Origin");
        if (origin == null || origin.isEmpty()) {
            return false;
        }
        if ("null".equals(origin)) {
            return true;
        }
        String host = rc.request().getHeader("Host");
        try {
            URI uri = URI.create(origin);
            String originHost = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host == null || !host.equalsIgnoreCase(originHost);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
