package dev.gatewatch.account.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Server-side sessions, logout, password change and login throttling, over HTTP (the hashing pool: LoginFloodTest). */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
class SessionsAndLoginTest {

    @Inject
    DataSource db;

    @AfterEach
    void forgetFailures() {
        // every test here logs in from 127.0.0.1: leave no throttle behind for the rest of the suite
        Sql.update(db, "delete from login_throttle");
    }

    @Test
    void theSessionLivesOnTheServerAndLogoutEndsIt() {
        TestOwner owner = Owners.create();
        assertTrue(owner.session().startsWith("gws_"), owner.session());
        assertEquals(200, Owners.pageStatus(owner.session()));
        assertEquals(0, Sql.number(db, "select count(*) from web_session where encode(token_hash, 'escape') like ?",
                "%" + owner.session().substring(4, 20) + "%"), "only a hash of the token is stored");

        Response out = owner.web().formParam("csrf", owner.csrf()).post("/logout");
        out.then().statusCode(303).header("Location", endsWith("/login"));
        assertEquals(302, Owners.pageStatus(owner.session()), "the old cookie no longer opens a page after logout");
        given().redirects().follow(false).cookie(Owners.SESSION, owner.session()).get("/account/tokens").then()
                .header("Location", "/login");
        owner.api().get("/api/v1/monitors").then().statusCode(200);
    }

    @Test
    void forgedAndOldStyleCookiesOpenNothing() {
        assertEquals(302, Owners.pageStatus("gws_" + "A".repeat(43)));
        assertEquals(302, Owners.pageStatus("not-a-session"));
        given().redirects().follow(false).cookie("quarkus-credential", "anything").get("/account/tokens").then().statusCode(302);
        // a public page ignores a dead cookie instead of refusing the visitor
        given().redirects().follow(false).cookie(Owners.SESSION, "gws_" + "B".repeat(43)).get("/login").then().statusCode(200);
    }

    @Test
    void idleAndOldSessionsEnd() {
        TestOwner idle = Owners.create();
        Sql.update(db, "update web_session set last_seen_at = now() - interval '8 hours 1 minute' where owner_id = "
                + "(select id from owner where email = ?)", idle.email());
        assertEquals(302, Owners.pageStatus(idle.session()), "idle past 8 h");
        TestOwner old = Owners.create();
        Sql.update(db, "update web_session set expires_at = now() - interval '1 second' where owner_id = "
                + "(select id from owner where email = ?)", old.email());
        assertEquals(302, Owners.pageStatus(old.session()), "past its 7 days");
        TestOwner used = Owners.create();
        Sql.update(db, "update web_session set last_seen_at = now() - interval '7 hours' where owner_id = "
                + "(select id from owner where email = ?)", used.email());
        assertEquals(200, Owners.pageStatus(used.session()), "used within the idle timeout");
        assertEquals(1, Sql.number(db, "select count(*) from web_session s join owner o on o.id = s.owner_id "
                + "where o.email = ? and s.last_seen_at > now() - interval '1 minute'", used.email()), "and marked as used");
    }

    @Test
    void aPasswordChangeEndsEverySessionAndKeepsTheBrowserThatChangedIt() {
        TestOwner owner = Owners.create();
        String otherBrowser = Owners.login(owner.email(), owner.password());
        assertEquals(200, Owners.pageStatus(otherBrowser));

        owner.web().formParam("csrf", owner.csrf()).formParam("currentPassword", "not-the-password")
                .formParam("newPassword", "a-brand-new-password").post("/account/password").then().statusCode(400)
                .body(containsString("id=\"current-error\">Current password is not your current password"));
        owner.web().formParam("csrf", owner.csrf()).formParam("currentPassword", owner.password())
                .formParam("newPassword", "short").post("/account/password").then().statusCode(400)
                .body(containsString("id=\"new-error\">New password must be at least 10 characters"));
        assertEquals(200, Owners.pageStatus(otherBrowser), "refused changes end nothing");

        Response changed = owner.web().formParam("csrf", owner.csrf()).formParam("currentPassword", owner.password())
                .formParam("newPassword", "a-brand-new-password").post("/account/password");
        changed.then().statusCode(200).body(containsString("Password changed"));
        String renewed = changed.getCookie(Owners.SESSION);
        assertEquals(200, Owners.pageStatus(renewed), "the browser that changed it stays logged in, on a new session");
        assertEquals(302, Owners.pageStatus(otherBrowser), "every other session ended");
        assertEquals(302, Owners.pageStatus(owner.session()), "including the old one of this browser");
        assertEquals(401, Owners.tryLogin(owner.email(), owner.password()).statusCode(), "the old password is gone");
        assertEquals(303, Owners.tryLogin(owner.email(), "a-brand-new-password").statusCode());
        owner.api().get("/api/v1/monitors").then().statusCode(200);
    }

    @Test
    void wrongPasswordsForOneAccountAreThrottledBeforeAnyPasswordIsChecked() {
        TestOwner owner = Owners.create();
        for (int i = 1; i <= 5; i++) {
            assertEquals(401, Owners.tryLogin(owner.email(), "wrong-password-" + i).statusCode(), "free try " + i);
        }
        // Further along: 9 failures so far, so the 10th locks for 16 s (set here rather than waited for).
        Sql.update(db, "update login_throttle set failures = 9 where subject = ?", "account:" + owner.email());
        assertEquals(401, Owners.tryLogin(owner.email(), "wrong-password-10").statusCode());
        Response locked = Owners.tryLogin(owner.email(), owner.password());
        locked.then().statusCode(429).body(containsString("Too many failed logins for this account or from this address. Try again in"));
        int retryAfter = Integer.parseInt(locked.getHeader("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 16, "Retry-After " + retryAfter);
        assertNull(locked.getCookie(Owners.SESSION), "the right password does not log in while locked");
        // unknown e-mails are throttled the same way, so the lock tells nothing about which accounts exist
        String stranger = "nobody-" + UUID.randomUUID() + "@example.com";
        Sql.update(db, "insert into login_throttle (subject, failures, last_failure_at, locked_until) values (?, 10, now(), now() + interval '16 seconds')",
                "account:" + stranger);
        Owners.tryLogin(stranger, "whatever-password").then().statusCode(429);

        Sql.update(db, "update login_throttle set locked_until = now() - interval '1 second' where subject = ?", "account:" + owner.email());
        assertEquals(303, Owners.tryLogin(owner.email(), owner.password()).statusCode(), "once the lock is over, the right password works");
        assertEquals(0, Sql.number(db, "select count(*) from login_throttle where subject = ?", "account:" + owner.email()),
                "and the account starts over");
    }

    @Test
    void oneAddressTryingManyAccountsIsThrottledToo() {
        TestOwner owner = Owners.create();
        Sql.update(db, """
                insert into login_throttle (subject, failures, last_failure_at) values ('address:127.0.0.1', 30, now())
                on conflict (subject) do update set failures = 30, last_failure_at = now(), locked_until = null
                """);
        assertEquals(401, Owners.tryLogin("nobody-" + UUID.randomUUID() + "@example.com", "whatever-password").statusCode());
        Owners.tryLogin(owner.email(), owner.password()).then().statusCode(429);
    }
}
