package dev.gatewatch.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Answers an overlong URI (414) and a body over the limit (413) as problem+json, ahead of Vert.x and Quarkus, which
 * answer both with an empty body. Netty's own line limit is set well above {@link #MAX_URI} so that the URIs between
 * the two get this answer too. A declared body is judged by its Content-Length; a chunked one (no Content-Length) is
 * read here by Vert.x's BodyHandler up to the limit (Quarkus REST then takes the body read), because Quarkus REST,
 * finding it too large while it reads, would end the response itself with no body.
 */
@ApplicationScoped
public class RequestLimits {

    /** Longer URIs are refused; 8 KiB is what common proxies pass. */
    public static final int MAX_URI = 8 * 1024;

    /** Before the web filter and authentication: a request this size is refused whoever sends it. */
    static final int ORDER = -20_000;

    private final long maxBody;

    public RequestLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        // a chunked body past the limit fails the route with 413: answered here as a problem
        router.route().order(ORDER).failureHandler(rc -> {
            if (rc.statusCode() == 413 && !rc.response().headWritten()) {
                rc.response().putHeader(HttpHeaderNames.CONNECTION, "close");
                refuse(rc, Problem.of(413, "Content Too Large", "The request body is over " + maxBody + " bytes, the most accepted"));
            } else {
                rc.next();
            }
        });
        chunked = BodyHandler.create(false).setBodyLimit(maxBody);
    }

    private BodyHandler chunked;

    void check(RoutingContext rc) {
        String uri = rc.request().uri();
        if (uri.length() > MAX_URI) {
            refuse(rc, Problem.of(414, "URI Too Long", "The request URI has " + uri.length() + " characters; at most " + MAX_URI
                    + " are accepted"));
            return;
        }
        String length = rc.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && declared(length) > maxBody) {
            rc.response().putHeader(HttpHeaderNames.CONNECTION, "close");
            refuse(rc, Problem.of(413, "Content Too Large", "The request body is " + length + " bytes; at most " + maxBody
                    + " are accepted"));
            return;
        }
        if (length == null && rc.request().headers().contains(HttpHeaderNames.TRANSFER_ENCODING) && !rc.normalizedPath().startsWith("/q/")) {
            chunked.handle(rc);
            return;
        }
        rc.next();
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Netty refuses a malformed Content-Length before we see it
        }
    }

    private static void refuse(RoutingContext rc, Problem problem) {
        String path = rc.request().path();
        rc.response().setStatusCode(problem.status()).putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(problem.at(path.length() > 200 ? path.substring(0, 200) + "…" : path)));
    }
}
