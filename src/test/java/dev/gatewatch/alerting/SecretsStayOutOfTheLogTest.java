package dev.gatewatch.alerting;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import dev.gatewatch.support.Receiver;
import dev.gatewatch.support.Receiver.Answer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Channels are created, edited, refused, test-sent and delivered through by the notifier (answers 200, 404, 500 and a
 * closed port) with known secrets while every log record of the application is captured: no secret, and no first
 * eight characters of one, is ever logged.
 */
@QuarkusTest
@TestProfile(AlertingTest.Profile.class)
class SecretsStayOutOfTheLogTest {

    @Inject
    AlertFixtures fx;
    @Inject
    AgroalDataSource dataSource;

    /** Everything logged anywhere in the JVM while installed, formatted as an operator would read it. */
    static final class Capture extends Handler {
        final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            StringWriter trace = new StringWriter();
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(trace));
            }
            lines.add(record.getLoggerName() + " " + message + " " + trace);
        }

        synchronized String all() {
            return String.join("\n", lines);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Random from the first character, so that its first eight say nothing but the secret. */
    private static String secret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void noSecretNorItsPrefixIsLogged() throws Exception {
        Logger root = Logger.getLogger("");
        Capture capture = new Capture();
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        List<String> secrets = new ArrayList<>();
        org.jboss.logging.Logger.getLogger(SecretsStayOutOfTheLogTest.class).info("capture check");
        try (Receiver hook = new Receiver().script(Answer.of(200, "ok"), Answer.of(500, "down"), Answer.of(500, "down"),
                Answer.of(404, "no_service"));
                Receiver slack = new Receiver().script(Answer.of(404, "no_service"))) {
            TestOwner owner = Owners.create();
            String webhookSecret = secret();
            String slackToken = secret();
            String slackUrl = slack.url("/services/T0GATEWATCH/B0GATEWATCH/" + slackToken);
            String newSecret = secret();
            String formSecret = secret();
            String shortSecret = secret().substring(0, 12); // under 16 characters: refused
            secrets.addAll(List.of(webhookSecret, slackToken, newSecret, formSecret, shortSecret));

            long webhook = fx.channel(owner, "{\"type\":\"webhook\",\"name\":\"hook\",\"settings\":{\"url\":\"" + hook.url("/h")
                    + "\"},\"secrets\":{\"secret\":\"" + webhookSecret + "\"}}");
            owner.api().post("/api/v1/channels/" + webhook + "/test").then().statusCode(200);
            owner.api().post("/api/v1/channels/" + webhook + "/test").then().statusCode(200);
            owner.api().body("{\"name\":\"hook\",\"settings\":{\"url\":\"" + hook.url("/h") + "\"},\"secrets\":{\"secret\":\""
                    + newSecret + "\"}}").put("/api/v1/channels/" + webhook)
                    .then().statusCode(200);
            owner.api().body("{\"type\":\"webhook\",\"name\":\"bad\",\"settings\":{\"url\":\"" + hook.url("/h")
                    + "\"},\"secrets\":{\"secret\":\"" + shortSecret + "\"}}").post("/api/v1/channels").then().statusCode(400);
            // a secret sent where settings go is refused, and not logged either
            owner.api().body("{\"type\":\"webhook\",\"name\":\"bad\",\"settings\":{\"url\":\"" + hook.url("/h") + "\",\"secret\":\""
                    + webhookSecret + "\"}}").post("/api/v1/channels").then().statusCode(400);

            long slackChannel = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + slackUrl + "\"}}");
            owner.api().post("/api/v1/channels/" + slackChannel + "/test").then().statusCode(200);
            long deadSlack = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"gone\",\"secrets\":{\"webhookUrl\":\"http://127.0.0.1:"
                    + closedPort() + "/services/T0/B0/" + slackToken + "\"}}");
            owner.api().post("/api/v1/channels/" + deadSlack + "/test").then().statusCode(200);
            owner.web().formParam("csrf", owner.csrf()).formParam("type", "webhook").formParam("name", "form")
                    .formParam("url", hook.url("/f")).formParam("secret", formSecret).formParam("enabled", "on")
                    .post("/channels").then().statusCode(303);

            // through the notifier: a 500 retried, then the 404 that stops it; and a receiver that is not there
            long m = fx.monitor(owner, "shop", "https://shop.example.com/", webhook);
            long n = fx.event(m, "opened", "outage");
            AlertFixtures.waitFor(() -> "failed".equals(fx.status(n)), () -> fx.lastError(n));
            long m2 = fx.monitor(owner, "api", "https://api.example.com/", deadSlack);
            long n2 = fx.event(m2, "opened", "outage");
            AlertFixtures.waitFor(() -> fx.count("select attempts from notification where id = ?", n2) >= 2, () -> fx.lastError(n2));
            // PostgreSQL refusing the row (an integrity error: 409, logged as a warning), without the row in the log
            String refusedSecret = secret();
            secrets.add(refusedSecret);
            Sql.update(dataSource, "alter table alert_channel add constraint secrets_test_refuses check (name <> 'refused-row')");
            try {
                owner.api().body("{\"type\":\"webhook\",\"name\":\"refused-row\",\"settings\":{\"url\":\"" + hook.url("/r")
                        + "\"},\"secrets\":{\"secret\":\"" + refusedSecret + "\"}}").post("/api/v1/channels").then().statusCode(409);
            } finally {
                Sql.update(dataSource, "alter table alert_channel drop constraint secrets_test_refuses");
            }
        } finally {
            root.removeHandler(capture);
        }
        String log = capture.all();
        assertTrue(log.contains("capture check"), "the capture sees what is logged");
        assertTrue(log.contains("SQLSTATE 23514"), "the refused row's error was logged, with its SQLSTATE:\n" + log);
        for (String s : secrets) {
            assertFalse(log.contains(s), "a secret was logged:\n" + log);
            assertFalse(log.contains(s.substring(0, 8)), "the first 8 characters of " + s + " were logged:\n" + log);
        }
    }
}
