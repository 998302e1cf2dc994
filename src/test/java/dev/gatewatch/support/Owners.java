package dev.gatewatch.support;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Drives the real sign-up, login and token pages to get owners for tests, as a browser would. */
public final class Owners {

    /** An owner with a web session and an API token. */
    public record TestOwner(String email, String password, String session, String csrf, String token) {
        public io.restassured.specification.RequestSpecification api() {
            return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
        }

        public io.restassured.specification.RequestSpecification web() {
            return given().redirects().follow(false).cookie(SESSION, session).cookie("gw-csrf", csrf);
        }
    }

    /** The web UI's session cookie. */
    public static final String SESSION = "gw-session";

    private Owners() {
    }

    public static String csrfCookie() {
        return given().get("/signup").then().statusCode(200).extract().cookie("gw-csrf");
    }

    public static TestOwner create() {
        String email = "owner-" + UUID.randomUUID() + "@example.com";
        String password = "long-enough-password";
        String csrf = csrfCookie();
        given().redirects().follow(false).cookie("gw-csrf", csrf)
                .formParam("email", email).formParam("password", password).formParam("csrf", csrf)
                .post("/signup").then().statusCode(303);
        String session = login(email, password);
        String token = createToken(session, csrf, "test");
        return new TestOwner(email, password, session, csrf, token);
    }

    public static String login(String email, String password) {
        Response login = tryLogin(email, password);
        login.then().statusCode(303);
        String session = login.getCookie(SESSION);
        if (session == null || session.isEmpty()) {
            throw new AssertionError("login of " + email + " gave no session cookie; location " + login.getHeader("Location"));
        }
        return session;
    }

    /** What a page behind the login answers the session cookie {@code session}: 200 while it is open, 302 to the login after. */
    public static int pageStatus(String session) {
        return given().redirects().follow(false).cookie(SESSION, session).get("/account/tokens").statusCode();
    }

    /** One login attempt as a browser posts it, with its own CSRF cookie; the response as it came. */
    public static Response tryLogin(String email, String password) {
        String csrf = csrfCookie();
        return given().redirects().follow(false).cookie("gw-csrf", csrf)
                .formParam("email", email).formParam("password", password).formParam("csrf", csrf).post("/login");
    }

    public static String createToken(String session, String csrf, String name) {
        String page = given().redirects().follow(false).cookie(SESSION, session).cookie("gw-csrf", csrf)
                .formParam("name", name).formParam("csrf", csrf)
                .post("/account/tokens").then().statusCode(201).extract().asString();
        var m = java.util.regex.Pattern.compile("id=\"new-token\" class=\"secret\">(gw_[A-Za-z0-9_-]+)<").matcher(page);
        if (!m.find()) {
            throw new AssertionError("token page did not show the new token");
        }
        return m.group(1);
    }
}
