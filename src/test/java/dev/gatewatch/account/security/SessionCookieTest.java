package dev.gatewatch.account.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.NewCookie;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionCookieTest {

    @ParameterizedTest(name = "{0}: Secure {1}")
    @CsvSource({"https://status.example.com,true", "HTTPS://status.example.com/,true", "http://localhost:8080,false",
            "http://status.example.com,false"})
    void secureWheneverTheBaseUrlIsHttps(String baseUrl, boolean secure) {
        SessionCookie cookies = new SessionCookie(SessionCookie.secureFor(baseUrl));
        NewCookie c = cookies.of("gws_token");
        assertEquals(secure, c.isSecure());
        assertTrue(c.isHttpOnly());
        assertEquals(NewCookie.SameSite.LAX, c.getSameSite());
        assertEquals("/", c.getPath());
        assertEquals(-1, c.getMaxAge(), "a browser-session cookie; the server ends it");
        NewCookie cleared = cookies.cleared();
        assertEquals(0, cleared.getMaxAge());
        assertEquals(secure, cleared.isSecure());
        assertFalse(cleared.getValue().contains("gws_"));
    }
}
