package dev.gatewatch.account.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Password reset by e-mail through a real SMTP server (GreenMail), on an https base URL. */
@QuarkusTest
@TestProfile(PasswordResetTest.Profile.class)
class PasswordResetTest {

    static final int SMTP_PORT = port();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatewatch.public-url", "https://gatewatch.example",
                    "quarkus.mailer.mock", "false", "quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", Integer.toString(SMTP_PORT),
                    "quarkus.mailer.from", "accounts@gatewatch.test", "quarkus.mailer.start-tls", "DISABLED");
        }
    }

    private static GreenMail smtp;

    @Inject
    DataSource db;

    @BeforeAll
    static void startSmtp() {
        smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
        smtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @AfterEach
    void forget() {
        Sql.update(db, "delete from login_throttle");
    }

    private static Response ask(String email) {
        String csrf = Owners.csrfCookie();
        return given().redirects().follow(false).cookie("gw-csrf", csrf).formParam("email", email).formParam("csrf", csrf).post("/password-reset");
    }

    /** The path of the reset link in the newest mail to {@code email}, waiting for it. */
    private static String link(String email, int mails) throws Exception {
        assertTrue(smtp.waitForIncomingEmail(10_000, mails), "mail " + mails + " arrives");
        MimeMessage last = null;
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equals(email)) {
                last = m;
            }
        }
        assertTrue(last != null, "a mail to " + email);
        assertEquals("Set a new Gatewatch password", last.getSubject());
        Matcher link = Pattern.compile("https://gatewatch\\.example(/password-reset/gwr_[A-Za-z0-9_-]{43})").matcher(GreenMailUtil.getBody(last));
        assertTrue(link.find(), GreenMailUtil.getBody(last));
        return link.group(1);
    }

    private static Response choose(String path, String password) {
        String csrf = Owners.csrfCookie();
        return given().redirects().follow(false).cookie("gw-csrf", csrf).formParam("newPassword", password).formParam("csrf", csrf).post(path);
    }

    @Test
    void aLinkByMailSetsANewPasswordOnceAndEndsEverySession() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
        TestOwner owner = Owners.create();
        Response known = ask(owner.email());
        known.then().statusCode(200).body(containsString("If an account exists for that address"));
        String stranger = "nobody-" + UUID.randomUUID() + "@example.com";
        Response unknown = ask(stranger);
        unknown.then().statusCode(200);
        assertEquals(known.asString().replace(owner.email(), "X").replaceAll("value=\"[A-Za-z0-9_-]{32}\"", ""),
                unknown.asString().replace(stranger, "X").replaceAll("value=\"[A-Za-z0-9_-]{32}\"", ""),
                "the same answer whether or not the address has an account");
        String first = link(owner.email(), 1);
        ask(owner.email()).then().statusCode(200);
        String second = link(owner.email(), 2);
        assertEquals(1, smtp.getReceivedMessages().length - 1, "no mail to the stranger");
        assertEquals(0, Sql.number(db, "select count(*) from password_reset where encode(token_hash, 'escape') like ?",
                "%" + second.substring(20, 36) + "%"), "only a hash of the link is stored");

        given().get(second).then().statusCode(200).body(containsString("Choose a new password"));
        choose(second, "short").then().statusCode(400).body(containsString("New password must be at least 10 characters"));
        choose(second, "a-password-from-the-link").then().statusCode(303).header("Location", "/login?reset=1");
        assertEquals(302, Owners.pageStatus(owner.session()),
                "sessions opened with the old password ended");
        assertEquals(401, Owners.tryLogin(owner.email(), owner.password()).statusCode());
        Response in = Owners.tryLogin(owner.email(), "a-password-from-the-link");
        assertEquals(303, in.statusCode());
        assertTrue(in.getHeader("Set-Cookie").contains("Secure"), "an https base URL makes the cookie Secure: " + in.getHeader("Set-Cookie"));
        assertTrue(in.getHeader("Strict-Transport-Security").startsWith("max-age="), "and sends HSTS");

        given().get(second).then().statusCode(410).body(containsString("expired or was already used"));
        choose(second, "yet-another-password").then().statusCode(410);
        given().get(first).then().statusCode(410);
        choose(first, "yet-another-password").then().statusCode(410);
        assertEquals(303, Owners.tryLogin(owner.email(), "a-password-from-the-link").statusCode(), "no used link changed it again");
    }

    @Test
    void expiredAndMadeUpLinksDoNothing() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
        TestOwner owner = Owners.create();
        ask(owner.email()).then().statusCode(200);
        String link = link(owner.email(), 1);
        Sql.update(db, "update password_reset set expires_at = now() - interval '1 second' where owner_id = (select id from owner where email = ?)",
                owner.email());
        given().get(link).then().statusCode(410);
        choose(link, "a-password-from-the-link").then().statusCode(410);
        given().get("/password-reset/gwr_" + "A".repeat(43)).then().statusCode(410);
        given().get("/password-reset/anything").then().statusCode(410);
        assertEquals(303, Owners.tryLogin(owner.email(), owner.password()).statusCode(), "the password is unchanged");
    }

    @Test
    void askingIsThrottledPerAddressWhetherOrNotItHasAnAccount() {
        for (String email : new String[] {Owners.create().email(), "nobody-" + UUID.randomUUID() + "@example.com"}) {
            for (int i = 1; i <= 3; i++) {
                ask(email).then().statusCode(200);
            }
            // three are free; further along, at 7, the next ask locks for 16 s (set here rather than waited for)
            Sql.update(db, "update login_throttle set failures = 7 where subject = ?", "reset:" + email);
            ask(email).then().statusCode(200);
            Response locked = ask(email);
            locked.then().statusCode(429).body(containsString("Too many reset links asked for this address"));
            int retryAfter = Integer.parseInt(locked.getHeader("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 16, "Retry-After " + retryAfter);
        }
    }

    /** Quarkus loads test classes in more than one class loader: the port is kept JVM-wide so all agree on it. */
    private static synchronized int port() {
        String key = "password-reset-test.smtp-port";
        if (System.getProperty(key) == null) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                System.setProperty(key, Integer.toString(s.getLocalPort()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return Integer.getInteger(key);
    }
}
