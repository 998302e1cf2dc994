package dev.gatewatch.account.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import javax.sql.DataSource;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Two-factor login over the real pages: enrol, log in with a code or a recovery code, turn it off. */
@QuarkusTest
class TwoFactorTest {

    @Inject
    DataSource db;

    @AfterEach
    void forget() {
        Sql.update(db, "delete from login_throttle");
    }

    private static Response code(String pending, String code) {
        String csrf = Owners.csrfCookie();
        return given().redirects().follow(false).cookie(Owners.SESSION, pending).cookie("gw-csrf", csrf)
                .formParam("code", code).formParam("csrf", csrf).post("/login/code");
    }

    private static String codeFor(String secret, long step) {
        return Totp.code(new Base32().decode(secret), step, 6);
    }

    @Test
    void enrolLogInWithACodeOrARecoveryCodeAndTurnItOff() {
        TestOwner owner = Owners.create();
        String otherBrowser = Owners.login(owner.email(), owner.password());
        owner.web().get("/account/two-factor").then().statusCode(200).body(containsString("Off."));

        String setup = owner.web().formParam("csrf", owner.csrf()).post("/account/two-factor/setup").then().statusCode(200).extract().asString();
        Matcher secret = Pattern.compile("id=\"totp-secret\">([A-Z2-7]{32})<").matcher(setup);
        assertTrue(secret.find(), setup);
        Matcher qr = Pattern.compile("src=\"data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)\"").matcher(setup);
        assertTrue(qr.find(), "a QR code to scan");
        String svg = new String(Base64.getDecoder().decode(qr.group(1)), StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<svg") && svg.contains("<path d=\"M") && !svg.contains("<script"), svg.substring(0, 80));
        String key = secret.group(1);

        owner.web().formParam("csrf", owner.csrf()).formParam("code", "000000").post("/account/two-factor/enable").then().statusCode(400)
                .body(containsString("does not match")).body(containsString(key));
        assertEquals(200, Owners.pageStatus(otherBrowser), "nothing changed yet");
        long now = Totp.step(Instant.now());
        String on = owner.web().formParam("csrf", owner.csrf()).formParam("code", codeFor(key, now)).post("/account/two-factor/enable")
                .then().statusCode(200).body(containsString("Two-factor login is on")).extract().asString();
        List<String> recovery = new ArrayList<>();
        Matcher rc = Pattern.compile("<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>").matcher(on);
        while (rc.find()) {
            recovery.add(rc.group(1));
        }
        assertEquals(10, recovery.size(), on);
        assertEquals(200, Owners.pageStatus(owner.session()), "the browser that turned it on stays in");
        assertEquals(302, Owners.pageStatus(otherBrowser), "sessions opened without the second factor end");

        // the password alone opens only the code form
        Response password = Owners.tryLogin(owner.email(), owner.password());
        password.then().statusCode(303).header("Location", "/login/code");
        String pending = password.getCookie(Owners.SESSION);
        assertEquals(302, Owners.pageStatus(pending), "a pending login opens no page");
        given().cookie(Owners.SESSION, pending).get("/login/code").then().statusCode(200).body(containsString("Enter your code"));
        code(pending, "123456").then().statusCode(401).body(containsString("not right"));
        code(pending, codeFor(key, now)).then().statusCode(401); // used to turn it on: a code works once
        Response in = code(pending, codeFor(key, now + 1));
        in.then().statusCode(303).header("Location", "/");
        String session = in.getCookie(Owners.SESSION);
        assertEquals(200, Owners.pageStatus(session));
        assertEquals(302, Owners.pageStatus(pending), "the pending token itself never opens anything");
        code(pending, codeFor(key, now + 1)).then().statusCode(303).header("Location", "/login");

        // a recovery code, once
        String again = Owners.tryLogin(owner.email(), owner.password()).getCookie(Owners.SESSION);
        assertEquals(303, code(again, recovery.get(3).toUpperCase()).statusCode());
        String third = Owners.tryLogin(owner.email(), owner.password()).getCookie(Owners.SESSION);
        code(third, recovery.get(3)).then().statusCode(401);
        owner.web().get("/account/two-factor").then().body(containsString("Recovery codes left: 9"));

        // turning it off needs the password
        given().redirects().follow(false).cookie(Owners.SESSION, session).cookie("gw-csrf", owner.csrf()).formParam("csrf", owner.csrf())
                .formParam("password", "not-my-password").post("/account/two-factor/disable").then().statusCode(401)
                .body(containsString("stays on"));
        given().redirects().follow(false).cookie(Owners.SESSION, session).cookie("gw-csrf", owner.csrf()).formParam("csrf", owner.csrf())
                .formParam("password", owner.password()).post("/account/two-factor/disable").then().statusCode(200).body(containsString("Off."));
        Owners.tryLogin(owner.email(), owner.password()).then().statusCode(303).header("Location", "/");
        assertEquals(0, Sql.number(db, "select count(*) from totp_recovery_code c join owner o on o.id = c.owner_id where o.email = ?",
                owner.email()));
    }

    @Test
    void wrongCodesAreThrottledAndPendingLoginsExpire() {
        TestOwner owner = Owners.create();
        String setup = owner.web().formParam("csrf", owner.csrf()).post("/account/two-factor/setup").then().extract().asString();
        Matcher secret = Pattern.compile("id=\"totp-secret\">([A-Z2-7]{32})<").matcher(setup);
        assertTrue(secret.find());
        long now = Totp.step(Instant.now());
        owner.web().formParam("csrf", owner.csrf()).formParam("code", codeFor(secret.group(1), now)).post("/account/two-factor/enable")
                .then().statusCode(200);
        String pending = Owners.tryLogin(owner.email(), owner.password()).getCookie(Owners.SESSION);
        for (int i = 0; i < 5; i++) {
            code(pending, "00000" + i).then().statusCode(401);
        }
        Sql.update(db, "update login_throttle set failures = 9 where subject like 'code:%'");
        code(pending, "000009").then().statusCode(401);
        Response locked = code(pending, codeFor(secret.group(1), now + 1));
        locked.then().statusCode(429).body(containsString("Too many wrong codes"));
        Sql.update(db, "delete from login_throttle where subject like 'code:%'");
        Sql.update(db, "update web_session set expires_at = now() - interval '1 second' where second_factor_pending");
        code(pending, codeFor(secret.group(1), now + 1)).then().statusCode(303).header("Location", "/login");
    }
}
