package dev.gatewatch.account.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.MultiMap;

/** The headers of a public deploy on every kind of response, and no cookie on what a shared cache may keep. */
@QuarkusTest
class SecurityHeadersTest {

    private static void assertPageHeaders(Response r, String what) {
        assertEquals(SecurityHeaders.HTML_POLICY, r.getHeader("Content-Security-Policy"), what);
        assertTrue(r.getHeader("Content-Security-Policy").contains("frame-ancestors 'none'"), what);
        assertEquals("DENY", r.getHeader("X-Frame-Options"), what);
        assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), what);
        assertEquals("same-origin", r.getHeader("Referrer-Policy"), what);
        assertNull(r.getHeader("Strict-Transport-Security"), what + ": the tests' base URL is http");
    }

    @Test
    void pagesTheApiAndRefusalsCarryThePolicies() {
        TestOwner owner = Owners.create();
        Response login = given().get("/login");
        assertPageHeaders(login, "login");
        assertEquals("no-store", login.getHeader("Cache-Control"));
        Response list = owner.web().get("/");
        assertPageHeaders(list, "monitor list");
        assertEquals("no-store", list.getHeader("Cache-Control"), "an owner's pages are never stored by a cache");
        Response tokens = owner.web().get("/account/tokens");
        assertPageHeaders(tokens, "tokens");
        assertEquals("no-store", tokens.getHeader("Cache-Control"), "the page that shows a new token's secret");
        Response api = owner.api().get("/api/v1/monitors");
        assertEquals(SecurityHeaders.DATA_POLICY, api.getHeader("Content-Security-Policy"));
        assertEquals("nosniff", api.getHeader("X-Content-Type-Options"));
        Response denied = given().get("/api/v1/monitors");
        assertEquals(401, denied.statusCode());
        assertEquals("nosniff", denied.getHeader("X-Content-Type-Options"), "refusals too");
        Response missing = owner.web().get("/no-such-page-" + UUID.randomUUID());
        assertEquals("nosniff", missing.getHeader("X-Content-Type-Options"), "and 404s");
    }

    @Test
    void aLoggedInOwnerGetsNoCookieOnCacheablePublicResponses() {
        TestOwner owner = Owners.create();
        long id = owner.api().body("{\"name\":\"Public\",\"url\":\"http://127.0.0.1:1/\"}").post("/api/v1/monitors").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        String slug = "hdr-" + UUID.randomUUID().toString().substring(0, 8);
        owner.api().body("{\"slug\":\"" + slug + "\",\"title\":\"Headers\",\"enabled\":true,\"groups\":[{\"name\":\"Web\",\"monitors\":[{\"monitorId\":"
                + id + "}]}]}").put("/api/v1/status-page").then().statusCode(200);
        Response page = given().redirects().follow(false).cookie(Owners.SESSION, owner.session()).get("/status/" + slug);
        assertEquals(200, page.statusCode());
        assertPageHeaders(page, "status page");
        Matcher bundle = Pattern.compile("src=\"(/static/bundle/[^\"]+\\.js)\"").matcher(page.asString());
        assertTrue(bundle.find(), "the page loads the bundle");
        assertEquals("public, max-age=31536000, immutable", given().get(bundle.group(1)).getHeader("Cache-Control"),
                "content-hashed names are kept for good");
        // with or without a session, and without a CSRF cookie yet: nothing a cache could hand to the next visitor
        for (String path : List.of("/status/" + slug, "/status/" + slug + "/feed.atom", "/status/" + slug + "/badge/" + id + "/status.svg",
                "/status/" + slug + "/badge/" + id + "/uptime.svg", bundle.group(1))) {
            for (boolean withSession : List.of(true, false)) {
                var request = given().redirects().follow(false);
                if (withSession) {
                    request = request.cookie(Owners.SESSION, owner.session());
                }
                Response r = request.get(path);
                assertEquals(200, r.statusCode(), path);
                String cache = r.getHeader("Cache-Control");
                assertTrue(cache != null && !cache.contains("no-store"), path + ": " + cache);
                assertFalse(r.getHeaders().hasHeaderWithName("Set-Cookie"), path + " (session " + withSession + "): " + r.getHeaders());
                assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
            }
        }
        String svg = given().get("/status/" + slug + "/badge/" + id + "/status.svg").getHeader("Content-Security-Policy");
        assertEquals(SecurityHeaders.DATA_POLICY, svg, "a badge opened directly runs nothing");
    }

    @Test
    void redirectsNeverEchoTheHostHeader() {
        TestOwner owner = Owners.create();
        for (Response r : List.of(
                owner.web().header("Host", "evil.example").formParam("csrf", owner.csrf()).post("/logout"),
                given().redirects().follow(false).header("Host", "evil.example").get("/account/tokens"),
                given().redirects().follow(false).header("Host", "evil.example:8443").cookie("gw-csrf", owner.csrf())
                        .formParam("email", "x-" + UUID.randomUUID() + "@example.com").formParam("password", "long-enough-password")
                        .formParam("csrf", owner.csrf()).post("/signup"))) {
            String location = r.getHeader("Location");
            assertTrue(r.statusCode() == 302 || r.statusCode() == 303, r.statusCode() + " " + location);
            assertTrue(location.startsWith("/") && !location.contains("evil"), location);
        }
    }

    @Test
    void httpsDeploysGetHstsAndCacheableResponsesNeverACookie() {
        SecurityHeaders https = new SecurityHeaders("https://status.example.com", Duration.ofDays(365));
        MultiMap h = MultiMap.caseInsensitiveMultiMap().set("Content-Type", "text/html;charset=UTF-8");
        https.apply(h, false);
        assertEquals("max-age=31536000", h.get("Strict-Transport-Security"));
        assertEquals(SecurityHeaders.HTML_POLICY, h.get("Content-Security-Policy"));
        MultiMap off = MultiMap.caseInsensitiveMultiMap();
        new SecurityHeaders("https://status.example.com", Duration.ZERO).apply(off, false);
        assertNull(off.get("Strict-Transport-Security"), "max-age 0 turns it off");
        MultiMap plain = MultiMap.caseInsensitiveMultiMap();
        new SecurityHeaders("http://localhost:8080", Duration.ofDays(365)).apply(plain, false);
        assertNull(plain.get("Strict-Transport-Security"));
        // whatever set a cookie, a response a shared cache may keep goes out without it
        MultiMap cached = MultiMap.caseInsensitiveMultiMap().set("Cache-Control", "public, max-age=30").add("Set-Cookie", "a=b");
        https.apply(cached, false);
        assertFalse(cached.contains("Set-Cookie"));
        // Quarkus' own tools under /q/ keep their inline scripts working
        MultiMap tools = MultiMap.caseInsensitiveMultiMap().set("Content-Type", "text/html");
        https.apply(tools, true);
        assertNull(tools.get("Content-Security-Policy"));
        assertEquals("nosniff", tools.get("X-Content-Type-Options"));
    }
}
