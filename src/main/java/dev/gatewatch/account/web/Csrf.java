package dev.gatewatch.account.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.ws.rs.ForbiddenException;

import io.vertx.ext.web.RoutingContext;

/**
 * Double-submit CSRF tokens for the web UI's forms: a random cookie that a form must echo in a hidden field.
 * A cross-site page can make the browser send the cookie but cannot read it to fill in the field.
 */
public final class Csrf {

    public static final String COOKIE = "gw-csrf";
    public static final String FIELD = "csrf";
    static final String CONTEXT_KEY = "gatewatch.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {
    }

    static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The token to put in this response's forms (set by {@link WebRequestFilter}). */
    public static String token(RoutingContext context) {
        String token = context.get(CONTEXT_KEY);
        return token == null ? "" : token;
    }

    /** Throws 403 unless the form echoes the cookie. */
    public static void verify(String cookie, String formField) {
        if (cookie == null || formField == null || cookie.isEmpty()
                || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), formField.getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException("The form is stale or was sent from another site; reload the page and try again.");
        }
    }
}
