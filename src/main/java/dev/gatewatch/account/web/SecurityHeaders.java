package dev.gatewatch.account.web;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.config.PublicUrl;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers a public deploy needs, on every response as it is sent: a Content-Security-Policy (no inline script or
 * style anywhere, no framing), nosniff, a same-origin Referrer-Policy, HSTS when the base URL is https, and no-store on
 * the owner's own pages. A response that a shared cache may keep ({@code Cache-Control: public}) never carries a
 * cookie: the cache would hand it to every visitor.
 */
@ApplicationScoped
public class SecurityHeaders {

    /** Pages and fragments: scripts and styles only from the app's own bundle, framed by no one. */
    static final String HTML_POLICY = htmlPolicy("'none'");
    /** JSON, SVG badges, feeds: nothing in them may run or load anything, even when opened directly. */
    static final String DATA_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

    /** Where the web bundler serves scripts and styles, under content-hashed names. */
    static final String BUNDLE = "/static/bundle/";
    /** A content hash in the name (app-EHZYTCKG.js); dev mode serves unhashed names, which must stay revalidated. */
    private static final Pattern HASHED = Pattern.compile("-[A-Z0-9]{8}\\.[a-z]+$");

    private final String hsts;

    /** The pages' policy, framed only by {@code frameAncestors} (a status page whose owner opted in to embedding). */
    public static String htmlPolicy(String frameAncestors) {
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + frameAncestors;
    }

    @Inject
    public SecurityHeaders(GatewatchConfig config) {
        this(PublicUrl.of(config), config.web().headers().hstsMaxAge());
    }

    SecurityHeaders(String baseUrl, Duration hstsMaxAge) {
        this.hsts = baseUrl.regionMatches(true, 0, "https:", 0, 6) && hstsMaxAge.toSeconds() > 0 ? "max-age=" + hstsMaxAge.toSeconds() : null;
    }

    void install(@Observes Router router) {
        router.route().order(WebRequestFilter.ORDER - 1).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        // Quarkus' own tools (Swagger UI and the like) under /q/ bring inline scripts of their own.
        boolean tools = rc.normalizedPath().startsWith("/q/");
        boolean bundle = rc.normalizedPath().startsWith(BUNDLE) && HASHED.matcher(rc.normalizedPath()).find();
        String host = rc.request().getHeader("Host");
        rc.addHeadersEndHandler(v -> {
            relativeLocation(rc.response().headers(), host);
            if (bundle && rc.response().getStatusCode() == 200 && !rc.response().headers().contains("Cache-Control")) {
                // the bundler puts a hash of the content in every file name: a name never changes its content
                rc.response().headers().set("Cache-Control", "public, max-age=31536000, immutable");
            }
            apply(rc.response().headers(), tools);
        });
        rc.next();
    }

    /**
     * A redirect to this app made absolute from the request's Host header (JAX-RS resolves relative locations against
     * it) goes out relative instead: a forged Host must not come back in a Location that a cache could keep.
     */
    static void relativeLocation(MultiMap h, String host) {
        String location = h.get("Location");
        if (location == null || host == null || !(location.startsWith("http://") || location.startsWith("https://"))) {
            return;
        }
        try {
            URI uri = URI.create(location);
            if (host.equalsIgnoreCase(uri.getRawAuthority())) {
                String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                h.set("Location", path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                        + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment()));
            }
        } catch (IllegalArgumentException notAUri) {
            // left as it is: not one of ours
        }
    }

    /** Sets the headers on {@code h}, the response's as it is about to be sent. */
    void apply(MultiMap h, boolean tools) {
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "same-origin");
        if (hsts != null) {
            h.set("Strict-Transport-Security", hsts);
        }
        String type = h.get("Content-Type");
        boolean html = type != null && type.regionMatches(true, 0, "text/html", 0, 9);
        if (!tools && !h.contains("Content-Security-Policy")) {
            h.set("Content-Security-Policy", html ? HTML_POLICY : DATA_POLICY);
        }
        String policy = h.get("Content-Security-Policy");
        if (html && !tools && policy != null && policy.contains("frame-ancestors 'none'")) {
            h.set("X-Frame-Options", "DENY");
        }
        String cache = h.get("Cache-Control");
        if (cache != null && cache.toLowerCase(Locale.ROOT).contains("public")) {
            h.remove("Set-Cookie");
        } else if (cache == null && html) {
            h.set("Cache-Control", "no-store");
        }
    }
}
