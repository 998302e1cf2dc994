package dev.gatewatch.account.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.config.PublicUrl;

/**
 * The web UI's session cookie: HttpOnly, SameSite=Lax (links from an alert e-mail or Slack open the dashboard logged
 * in; forms are guarded by CSRF tokens and the Origin check), Secure when the base URL is https, no Max-Age (gone
 * with the browser; the server ends it after the idle timeout or its age anyway).
 */
@ApplicationScoped
public class SessionCookie {

    public static final String NAME = "gw-session";

    private final boolean secure;

    @Inject
    public SessionCookie(GatewatchConfig config) {
        this(secureFor(PublicUrl.of(config)));
    }

    /** Whether cookies for an installation at {@code baseUrl} are sent over https only. */
    public static boolean secureFor(String baseUrl) {
        return baseUrl.regionMatches(true, 0, "https:", 0, 6);
    }

    SessionCookie(boolean secure) {
        this.secure = secure;
    }

    public boolean secure() {
        return secure;
    }

    /** The cookie that carries {@code token}. */
    public NewCookie of(String token) {
        return builder(token).build();
    }

    /** The cookie that clears it. */
    public NewCookie cleared() {
        return builder("").maxAge(0).build();
    }

    private NewCookie.Builder builder(String value) {
        return new NewCookie.Builder(NAME).value(value).path("/").httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.LAX);
    }
}
