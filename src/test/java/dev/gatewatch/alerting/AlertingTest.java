package dev.gatewatch.alerting;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.gatewatch.alerting.channel.HttpDelivery;
import dev.gatewatch.alerting.channel.WebhookChannel;
import dev.gatewatch.alerting.digest.Digests;
import dev.gatewatch.alerting.outbox.Notifier;
import dev.gatewatch.alerting.outbox.Reminders;
import dev.gatewatch.analysis.service.AnalysisService;
import dev.gatewatch.api.Sql;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.Timings;
import dev.gatewatch.check.cdn.EdgeInfo;
import dev.gatewatch.check.cdn.ErrorSource;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.target.TargetGuard;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import dev.gatewatch.support.Receiver;
import dev.gatewatch.support.Receiver.Answer;
import io.agroal.api.AgroalDataSource;
import io.vertx.core.Vertx;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Alert channels against real peers on loopback: a local HTTP receiver for Slack and webhooks that checks payloads
 * and signatures, GreenMail as the SMTP server, and the outbox with retries, Retry-After, permanent refusals and a
 * notifier that dies between claim and send.
 */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(AlertingTest.Profile.class)
class AlertingTest {

    static final int SMTP_PORT = freePort();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("gatewatch.roles", "api,notifier"),
                    Map.entry("gatewatch.analyzer.interval", "1h"),
                    Map.entry("gatewatch.notifier.poll-interval", "100ms"),
                    Map.entry("gatewatch.notifier.initial-backoff", "300ms"),
                    Map.entry("gatewatch.notifier.max-backoff", "5s"),
                    Map.entry("gatewatch.notifier.lease", "3s"),
                    Map.entry("gatewatch.notifier.send-timeout", "3s"),
                    Map.entry("gatewatch.public-url", "https://gatewatch.example"),
                    Map.entry("quarkus.mailer.mock", "false"),
                    Map.entry("quarkus.mailer.host", "127.0.0.1"),
                    Map.entry("quarkus.mailer.port", Integer.toString(SMTP_PORT)),
                    Map.entry("quarkus.mailer.from", "alerts@gatewatch.test"),
                    Map.entry("quarkus.mailer.start-tls", "DISABLED"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Vertx vertx;
    @Inject
    GatewatchConfig config;
    @Inject
    AnalysisService analysis;
    @Inject
    Notifier notifier;
    @Inject
    Reminders reminders;
    @Inject
    Digests digests;
    @Inject
    AlertFixtures fx;

    @Test
    void slackGetsTheOutageAndTheRecoveryFromTheAnalyzerButNeverABlip() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver slack = new Receiver()) {
            long channel = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + slack.url("/services/T0/B0/x") + "\"}}");
            long down = fx.monitor(owner, "shop", "https://shop.example.com/health", channel);
            long blip = fx.monitor(owner, "blog", "https://blog.example.com/", channel);
            node();
            Instant t0 = Instant.now().minusSeconds(150).truncatedTo(ChronoUnit.SECONDS);
            try (ResultWriter writer = new ResultWriter(dataSource, new ResultWriter.Settings(100, Duration.ofMillis(20), 1000), () -> { })) {
                write(writer, blip, t0, true);
                write(writer, blip, t0.plusSeconds(10), false);
                write(writer, blip, t0.plusSeconds(20), true);
                write(writer, blip, t0.plusSeconds(30), true);
                write(writer, down, t0, true);
                for (int s = 10; s <= 80; s += 10) {
                    write(writer, down, t0.plusSeconds(s), false);
                }
                analysis.tick();
                AlertFixtures.waitFor(() -> slack.requests().size() >= 1);
                write(writer, down, t0.plusSeconds(90), true);
                write(writer, down, t0.plusSeconds(100), true);
                analysis.tick();
            }
            AlertFixtures.waitFor(() -> slack.requests().size() >= 2);
            Thread.sleep(500);
            List<Receiver.Request> got = slack.requests();
            assertEquals(2, got.size(), "the outage and its recovery, nothing for the blip");
            JsonNode opened = JSON.readTree(got.get(0).body());
            assertEquals("[DOWN] shop.example.com — outage in 1/1 region", opened.get("text").asText());
            assertEquals("#d92d20", opened.at("/attachments/0/color").asText());
            String blocks = opened.at("/attachments/0/blocks").toString();
            assertTrue(blocks.contains("Classification*\\noutage (whole)"), blocks);
            assertTrue(blocks.contains("Status codes*\\n[502]"), blocks);
            assertTrue(blocks.contains("nginx at the origin answered 502"), blocks);
            assertTrue(blocks.contains("First step"), blocks);
            assertTrue(blocks.contains("https://gatewatch.example/monitors/" + down), blocks);
            JsonNode recovered = JSON.readTree(got.get(1).body());
            assertEquals("[RECOVERED] shop.example.com — outage over after 1 min 20 s", recovered.get("text").asText());
            // failing from 10 to 80 s, passing at 0 and 90 s: it lasted between 70 and 90 s
            assertTrue(recovered.at("/attachments/0/blocks").toString().contains("Duration*\\n1 min 10 s – 1 min 30 s"),
                    recovered.at("/attachments/0/blocks").toString());
            assertEquals(0L, fx.count("select count(*) from notification n join incident_event e on e.id = n.event_id"
                    + " join incident i on i.id = e.incident_id where i.monitor_id = ?", blip));
        }
    }

    @Test
    void aWebhookFailingThreeTimesIsDeliveredOnceSignedWithOneKey() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver hook = new Receiver().script(Answer.of(500, "boom"), Answer.of(502, ""), Answer.of(503, "later"))) {
            String secret = "s3cret-s3cret-s3cret";
            long channel = fx.channel(owner, "{\"type\":\"webhook\",\"name\":\"pager\",\"settings\":{\"url\":\"" + hook.url("/hook")
                    + "\"},\"secrets\":{\"secret\":\"" + secret + "\"}}");
            long m = fx.monitor(owner, "api", "https://api.example.com/", channel);
            long notification = fx.event(m, "opened", "partial");
            AlertFixtures.waitFor(() -> "delivered".equals(fx.status(notification)));
            List<Receiver.Request> got = hook.requests();
            assertEquals(4, got.size(), "three failures, then one delivery");
            assertEquals(1, got.stream().map(r -> r.header("Idempotency-Key")).distinct().count());
            for (Receiver.Request r : got) {
                String ts = r.header(WebhookChannel.TIMESTAMP);
                assertNotNull(ts);
                assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(ts)) < 60);
                assertEquals("v1=" + WebhookChannel.sign(secret, ts, r.body()), r.header(WebhookChannel.SIGNATURE));
            }
            JsonNode body = JSON.readTree(got.get(3).body());
            assertEquals("gatewatch.alert.v1", body.get("schema").asText());
            assertEquals("incident.opened", body.get("event").asText());
            assertEquals("partial", body.at("/incident/kind").asText());
            assertEquals(m, body.at("/monitor/id").asLong());
            assertEquals(4L, fx.count("select attempts from notification where id = ?", notification));
            owner.api().get("/api/v1/channels/" + channel + "/deliveries").then().statusCode(200)
                    .body("[0].status", equalTo("delivered")).body("[0].attempts", equalTo(4)).body("[0].lastResponse", containsString("200"));
        }
    }

    @Test
    void retryAfterIsHonouredAndAPermanentRefusalStopsAndShowsOnTheChannel() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver slow = new Receiver().script(new Answer(429, "rate_limited", Map.of("Retry-After", "2")));
                Receiver gone = new Receiver().script(Answer.of(404, "no_service"))) {
            long c1 = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"busy\",\"secrets\":{\"webhookUrl\":\"" + slow.url("/busy") + "\"}}");
            long c2 = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"deleted\",\"secrets\":{\"webhookUrl\":\"" + gone.url("/gone") + "\"}}");
            long m1 = fx.monitor(owner, "a", "https://a.example.com/", c1);
            long m2 = fx.monitor(owner, "b", "https://b.example.com/", c2);
            long n1 = fx.event(m1, "opened", "outage");
            long n2 = fx.event(m2, "opened", "outage");
            AlertFixtures.waitFor(() -> "delivered".equals(fx.status(n1)) && "failed".equals(fx.status(n2)));
            List<Receiver.Request> got = slow.requests();
            assertEquals(2, got.size());
            long waited = Duration.between(got.get(0).at(), got.get(1).at()).toMillis();
            assertTrue(waited >= 1900, "waited " + waited + " ms for Retry-After: 2");
            Thread.sleep(1000);
            assertEquals(1, gone.requests().size(), "a permanent refusal is not retried");
            owner.api().get("/api/v1/channels/" + c2).then().statusCode(200)
                    .body("lastError", containsString("404")).body("lastError", containsString("no_service"))
                    .body("lastErrorAt", org.hamcrest.Matchers.notNullValue());
        }
    }

    @Test
    void emailWaitsForTheSmtpServerAndIsDeliveredOnce() throws Exception {
        TestOwner owner = Owners.create();
        long channel = fx.channel(owner, "{\"type\":\"email\",\"name\":\"team\",\"settings\":{\"recipients\":[\"oncall@shop.test\",\"cto@shop.test\"]}}");
        long m = fx.monitor(owner, "shop", "https://shop.example.com/health", channel);
        long n = fx.event(m, "opened", "outage");
        AlertFixtures.waitFor(() -> fx.count("select attempts from notification where id = ?", n) >= 2);
        // Between attempts it is pending, during one sending: either way not given up.
        assertTrue(List.of("pending", "sending").contains(fx.status(n)), "SMTP server down: retried, was " + fx.status(n));
        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
        smtp.start();
        try {
            AlertFixtures.waitFor(() -> "delivered".equals(fx.status(n)), () -> "notification " + n + ": " + fx.lastError(n));
            assertTrue(smtp.waitForIncomingEmail(5000, 2));
            Thread.sleep(1000);
            MimeMessage[] mails = smtp.getReceivedMessages();
            assertEquals(2, mails.length, "one message, two recipients");
            MimeMessage mail = mails[0];
            assertEquals("[DOWN] shop.example.com — outage in 1/1 region", mail.getSubject());
            List<String> to = new ArrayList<>();
            for (Address a : mail.getAllRecipients()) {
                to.add(a.toString());
            }
            assertEquals(List.of("oncall@shop.test", "cto@shop.test"), to);
            assertEquals("alerts@gatewatch.test", mail.getFrom()[0].toString());
            String text = part(mail, "text/plain");
            String html = part(mail, "text/html");
            assertTrue(text.contains("Likely cause:") && text.contains("https://gatewatch.example/monitors/" + m), text);
            assertTrue(html.contains("<strong>[DOWN] shop.example.com</strong>") && html.contains("First step"), html);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aNotifierThatDiesAfterClaimingIsReplacedAndTheAlertSentOnce() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver hook = new Receiver()) {
            long channel = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + hook.url("/s") + "\"}}");
            long m = fx.monitor(owner, "c", "https://c.example.com/", channel);
            // Claim as a node that then vanishes: the row is held, nothing is sent.
            long n;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                n = fx.insertEvent(c, m, "opened", "outage");
                try (PreparedStatement ps = c.prepareStatement("update notification set status = 'sending', claimed_by = 'dead-node',"
                        + " claimed_until = now() + interval '3 seconds', attempts = 1 where id = ?")) {
                    ps.setLong(1, n);
                    ps.executeUpdate();
                }
                c.commit();
            }
            Thread.sleep(1500);
            assertEquals(0, hook.requests().size(), "held by the dead node's lease");
            AlertFixtures.waitFor(() -> "delivered".equals(fx.status(n)));
            Thread.sleep(1000);
            assertEquals(1, hook.requests().size());
            assertEquals(2L, fx.count("select attempts from notification where id = ?", n));
        }
    }

    @Test
    void channelsAreManagedWithWriteOnlySecretsTestSendsAndValidation() {
        TestOwner owner = Owners.create();
        try (Receiver hook = new Receiver().script(Answer.of(200, "ok"), Answer.of(403, "invalid_token"))) {
            long id = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + hook.url("/t") + "\"}}");
            owner.api().get("/api/v1/channels/" + id).then().statusCode(200).body("secretsSet", equalTo(List.of("webhookUrl")))
                    .body(not(containsString(hook.url("/t"))));
            owner.api().post("/api/v1/channels/" + id + "/test").then().statusCode(200).body("delivered", equalTo(true))
                    .body("response", containsString("200"));
            owner.api().post("/api/v1/channels/" + id + "/test").then().statusCode(200).body("delivered", equalTo(false))
                    .body("result", equalTo("permanent")).body("response", containsString("invalid_token"));
            assertTrue(hook.requests().get(0).body().contains("Test alert from Gatewatch"));
            // Renaming keeps the secret that is not sent again.
            owner.api().body("{\"name\":\"ops-renamed\"}").put("/api/v1/channels/" + id).then().statusCode(200)
                    .body("name", equalTo("ops-renamed")).body("secretsSet", equalTo(List.of("webhookUrl")));
            owner.api().body("{\"type\":\"pager\",\"name\":\"\"}").post("/api/v1/channels").then().statusCode(400)
                    .body("errors.field", hasItem("type")).body("errors.field", hasItem("name"));
            owner.api().body("{\"type\":\"webhook\",\"name\":\"w\",\"settings\":{\"url\":\"ftp://x\",\"secret\":\"x\"}}")
                    .post("/api/v1/channels").then().statusCode(400).body("errors.field", hasItem("settings.secret"));
            owner.api().body("{\"type\":\"webhook\",\"name\":\"w\",\"settings\":{\"url\":\"ftp://x\"},\"secrets\":{\"secret\":\"short\"}}")
                    .post("/api/v1/channels").then().statusCode(400)
                    .body("errors.field", equalTo(List.of("settings.url", "secrets.secret")));
            owner.api().body("{\"type\":\"webhook\",\"name\":\"w\",\"settings\":{\"url\":\"http://169.254.169.254/latest\"},\"secrets\":{\"secret\":\"0123456789abcdef\"}}")
                    .post("/api/v1/channels").then().statusCode(400).body("errors[0].field", equalTo("settings.url"));
            owner.api().body("{\"type\":\"email\",\"name\":\"e\",\"settings\":{\"recipients\":[\"not-an-address\"]}}")
                    .post("/api/v1/channels").then().statusCode(400).body("errors[0].message", containsString("not-an-address"));
            // Attached to a monitor, then deleted: the monitor lets go of it.
            long m = fx.monitor(owner, "d", "https://d.example.com/", id);
            owner.api().get("/api/v1/monitors/" + m).then().body("alertPolicy.channels", equalTo(List.of((int) id)));
            owner.api().delete("/api/v1/channels/" + id).then().statusCode(204);
            owner.api().get("/api/v1/monitors/" + m).then().body("alertPolicy.channels", equalTo(List.of()));
            owner.api().body("{\"name\":\"x\",\"url\":\"https://x.example.com/\",\"alertPolicy\":{\"channels\":[" + id + "]}}")
                    .post("/api/v1/monitors").then().statusCode(400);
        }
    }

    @Test
    void aMaintenanceWindowHoldsAlertsKeepsTheEventsAndSendsWhatIsStillOpenWhenItEnds() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver slack = new Receiver()) {
            long channel = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + slack.url("/m") + "\"}}");
            long stillDown = fx.monitor(owner, "shop", "https://shop.example.com/", channel);
            long backUp = fx.monitor(owner, "blog", "https://blog.example.com/", channel);
            long outside = fx.monitor(owner, "api", "https://api.example.com/", channel);
            Instant ends = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
            owner.api().body("{\"name\":\"DB upgrade\",\"monitorIds\":[" + stillDown + "," + backUp + "],\"startsAt\":\""
                    + Instant.now().minusSeconds(60) + "\",\"endsAt\":\"" + ends + "\"}")
                    .post("/api/v1/maintenance-windows").then().statusCode(201).body("activeNow", equalTo(true))
                    .body("next.end", equalTo(ends.toString()));
            long n1 = fx.event(stillDown, "opened", "outage");
            long n2 = fx.event(backUp, "opened", "outage");
            long n3 = fx.event(outside, "opened", "outage");
            AlertFixtures.waitFor(() -> "muted".equals(fx.status(n1)) && "muted".equals(fx.status(n2)) && "delivered".equals(fx.status(n3)));
            long n2r = followUp(n2, "recovered");
            AlertFixtures.waitFor(() -> "muted".equals(fx.status(n2r)));
            assertEquals(1, slack.requests().size(), "only the monitor outside the window was alerted");
            assertTrue(slack.requests().get(0).body().contains("api.example.com"));
            // Checking and recording go on: the incidents and their events are there.
            assertEquals(1L, fx.count("select count(*) from incident_event e join incident i on i.id = e.incident_id where i.monitor_id = ?", stillDown));
            assertEquals(2L, fx.count("select count(*) from incident_event e join incident i on i.id = e.incident_id where i.monitor_id = ?", backUp));
            owner.api().get("/api/v1/channels/" + channel + "/deliveries").then().statusCode(200)
                    .body("find { it.id == " + n1 + " }.status", equalTo("muted"))
                    .body("find { it.id == " + n1 + " }.mutedBy", equalTo("maintenance window \"DB upgrade\""));
            AlertFixtures.waitFor(() -> "delivered".equals(fx.status(n1)) && "suppressed".equals(fx.status(n2)) && "suppressed".equals(fx.status(n2r)),
                    () -> fx.lastError(n1) + " / " + fx.lastError(n2) + " / " + fx.lastError(n2r));
            Thread.sleep(500);
            List<Receiver.Request> got = slack.requests();
            assertEquals(2, got.size(), "the incident still open when the window ended, nothing for the one that recovered inside it");
            assertTrue(got.get(1).body().contains("[DOWN] shop.example.com"), got.get(1).body());
            assertTrue(got.get(1).body().contains("Held back by maintenance window \\\"DB upgrade\\\"; sent when it ended."), got.get(1).body());
            assertTrue(!got.get(1).at().isBefore(ends.minusMillis(50)), "sent when the window ended, not before");
            assertTrue(fx.lastError(n2).contains("over before the mute ended"), fx.lastError(n2));
            assertTrue(fx.lastError(n2r).contains("never sent"), fx.lastError(n2r));
        }
    }

    @Test
    void aSilenceHoldsAlertsUntilItIsEnded() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver slack = new Receiver()) {
            long channel = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + slack.url("/s") + "\"}}");
            long m = fx.monitor(owner, "shop", "https://shop.example.com/", channel);
            long silence = ((Number) owner.api().body("{\"monitorId\":" + m + ",\"reason\":\"migrating the CDN\",\"durationMinutes\":60}")
                    .post("/api/v1/silences").then().statusCode(201).body("activeNow", equalTo(true)).extract().path("id")).longValue();
            long n = fx.event(m, "opened", "outage");
            AlertFixtures.waitFor(() -> "muted".equals(fx.status(n)));
            Thread.sleep(500);
            assertEquals(0, slack.requests().size());
            owner.api().delete("/api/v1/silences/" + silence).then().statusCode(204);
            AlertFixtures.waitFor(() -> "delivered".equals(fx.status(n)));
            assertEquals(1, slack.requests().size());
            owner.api().get("/api/v1/silences/" + silence).then().statusCode(200).body("activeNow", equalTo(false));
            // Bad input names each field and stores nothing.
            owner.api().body("{\"reason\":\"\"}").post("/api/v1/silences").then().statusCode(400)
                    .body("errors.field", equalTo(List.of("reason", "endsAt")));
            owner.api().body("{\"reason\":\"x\",\"monitorId\":999999999,\"durationMinutes\":20000}").post("/api/v1/silences").then()
                    .statusCode(400).body("errors.field", equalTo(List.of("monitorId", "durationMinutes")));
            owner.api().body("{\"name\":\"nightly\",\"recurrence\":{\"days\":[\"FUNDAY\"],\"start\":\"25:00\",\"durationMinutes\":0,"
                    + "\"timeZone\":\"Mars/Base\"}}").post("/api/v1/maintenance-windows").then().statusCode(400)
                    .body("errors.field", equalTo(List.of("recurrence.days[0]", "recurrence.start", "recurrence.durationMinutes", "recurrence.timeZone")));
            owner.api().body("{\"name\":\"x\",\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"2026-01-01T01:00:00Z\"}")
                    .post("/api/v1/maintenance-windows").then().statusCode(400).body("errors[0].message", equalTo("is in the past"));
            long weekly = ((Number) owner.api().body("{\"name\":\"Sunday deploys\",\"recurrence\":{\"days\":[\"sun\"],\"start\":\"02:00\","
                    + "\"durationMinutes\":90,\"timeZone\":\"Europe/Berlin\"}}").post("/api/v1/maintenance-windows").then().statusCode(201)
                    .body("recurrence.days", equalTo(List.of("SUNDAY"))).body("next.start", org.hamcrest.Matchers.notNullValue())
                    .extract().path("id")).longValue();
            owner.api().get("/api/v1/maintenance-windows").then().statusCode(200).body("id", hasItem((int) weekly));
            assertEquals(1L, fx.count("select count(*) from maintenance_window where owner_id = (select owner_id from monitor where id = ?)", m));
        }
    }

    @Test
    void anOwnerMayHave200MaintenanceWindowsAnd200ActiveSilences() {
        TestOwner owner = Owners.create();
        String who = "(select id from owner where email = ?)";
        Sql.update(dataSource, "insert into maintenance_window (owner_id, name, recurrence) select " + who + ", 'w' || n, "
                + "'{\"days\":[],\"start\":\"02:00\",\"durationMinutes\":60,\"timeZone\":\"UTC\"}'::jsonb from generate_series(1, 199) n",
                owner.email());
        // 199 active silences and one long over, which does not count.
        Sql.update(dataSource, "insert into silence (owner_id, reason, starts_at, ends_at) select " + who + ", 's' || n, now(), "
                + "now() + interval '1 hour' from generate_series(1, 199) n", owner.email());
        Sql.update(dataSource, "insert into silence (owner_id, reason, starts_at, ends_at) values (" + who + ", 'old', now() - interval '2 days', "
                + "now() - interval '1 day')", owner.email());
        String window = "{\"name\":\"nightly\",\"recurrence\":{\"start\":\"03:00\",\"durationMinutes\":30,\"timeZone\":\"UTC\"}}";
        owner.api().body(window).post("/api/v1/maintenance-windows").then().statusCode(201);
        owner.api().body(window).post("/api/v1/maintenance-windows").then().statusCode(400)
                .body("errors[0].message", equalTo("you already have 200 maintenance windows"));
        String silence = "{\"reason\":\"quiet\",\"durationMinutes\":30}";
        owner.api().body(silence).post("/api/v1/silences").then().statusCode(201);
        owner.api().body(silence).post("/api/v1/silences").then().statusCode(400)
                .body("errors[0].message", equalTo("you already have 200 active silences"));
        assertEquals(200L, Sql.number(dataSource, "select count(*) from maintenance_window where owner_id = " + who, owner.email()));
        assertEquals(201L, Sql.number(dataSource, "select count(*) from silence where owner_id = " + who, owner.email()));
    }

    @Test
    void remindersRepeatAnOpenIncidentAtTheChosenInterval() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver slack = new Receiver()) {
            long channel = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + slack.url("/r") + "\"}}");
            owner.api().body("{\"name\":\"x\",\"url\":\"https://x.example.com/\",\"alertPolicy\":{\"reminderMinutes\":3}}")
                    .post("/api/v1/monitors").then().statusCode(400).body("errors[0].field", equalTo("alertPolicy.reminderMinutes"));
            long m = fx.monitor(owner, "shop", "https://shop.example.com/", channel);
            owner.api().body("{\"name\":\"shop\",\"url\":\"https://shop.example.com/\",\"intervalSeconds\":30,"
                    + "\"alertPolicy\":{\"confirmationWindowSeconds\":30,\"reminderMinutes\":5,\"channels\":[" + channel + "]}}")
                    .put("/api/v1/monitors/" + m).then().statusCode(200).body("alertPolicy.reminderMinutes", equalTo(5));
            long n = fx.event(m, "opened", "outage");
            AlertFixtures.waitFor(() -> "delivered".equals(fx.status(n)));
            reminders.remind();
            assertEquals(0L, fx.count("select count(*) from incident_event e join incident i on i.id = e.incident_id"
                    + " where i.monitor_id = ? and e.type = 'reminder'", m), "not due yet");
            Sql.update(dataSource, "update incident_event set at = at - interval '6 minutes' where id = (select event_id from notification where id = ?)", n);
            Sql.update(dataSource, "update incident set started_at = started_at - interval '6 minutes' where id ="
                    + " (select incident_id from incident_event where id = (select event_id from notification where id = ?))", n);
            assertTrue(reminders.remind() >= 1);
            assertEquals(0, reminders.remind(), "one reminder per interval");
            AlertFixtures.waitFor(() -> slack.requests().size() == 2);
            String text = JSON.readTree(slack.requests().get(1).body()).get("text").asText();
            assertTrue(text.matches("\\[DOWN] shop\\.example\\.com — still down after 7 min( \\d+ s)? \\(outage in 1/1 region\\)"), text);
        }
    }

    @Test
    void theDailyDigestListsTheDeployBlipsOnceAndSkipsQuietDays() throws Exception {
        TestOwner owner = Owners.create();
        TestOwner quiet = Owners.create();
        try (Receiver slack = new Receiver(); Receiver other = new Receiver()) {
            Instant now = Instant.now();
            String at = java.time.LocalTime.ofInstant(now.plusSeconds(120), java.time.ZoneOffset.UTC).withSecond(0).withNano(0).toString();
            long channel = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"digest\",\"settings\":{\"digest\":true,\"digestAt\":\"" + at
                    + "\",\"timeZone\":\"UTC\"},\"secrets\":{\"webhookUrl\":\"" + slack.url("/d") + "\"}}");
            long quietChannel = fx.channel(quiet, "{\"type\":\"slack\",\"name\":\"digest\",\"settings\":{\"digest\":true,\"digestAt\":\"" + at
                    + "\"},\"secrets\":{\"webhookUrl\":\"" + other.url("/d") + "\"}}");
            long m = fx.monitor(owner, "shop", "https://shop.example.com/", channel);
            blip(m, "deploy_blip", 3600, 41);
            blip(m, "deploy_blip", 1800, 12);
            blip(m, "deploy_blip", 90000, 30);
            owner.api().body("{\"type\":\"slack\",\"name\":\"bad\",\"settings\":{\"digest\":\"yes\",\"timeZone\":\"Nowhere\"},"
                    + "\"secrets\":{\"webhookUrl\":\"" + slack.url("/x") + "\"}}").post("/api/v1/channels").then().statusCode(400)
                    .body("errors.field", equalTo(List.of("settings.digest", "settings.timeZone")));
            Instant later = now.plusSeconds(240);
            digests.compose(later);
            assertEquals(0, digests.compose(later), "one digest per channel and day");
            AlertFixtures.waitFor(() -> slack.requests().size() == 1);
            Thread.sleep(500);
            assertEquals(0, other.requests().size(), "no digest on a day without blips");
            assertEquals(1L, fx.count("select count(*) from digest where channel_id = ? and content -> 'blips' = '[]'::jsonb", quietChannel));
            JsonNode body = JSON.readTree(slack.requests().get(0).body());
            assertEquals("[DIGEST] 2 deploy blips, longest 41 s, all on shop.example.com", body.get("text").asText());
            owner.api().get("/api/v1/channels/" + channel + "/deliveries").then().statusCode(200)
                    .body("[0].event", equalTo("digest")).body("[0].status", equalTo("delivered"));
        }
    }

    /** A resolved deploy blip or transient that ended {@code agoSeconds} ago and lasted {@code seconds}. */
    private void blip(long monitor, String kind, int agoSeconds, int seconds) {
        Sql.update(dataSource, """
                insert into incident (monitor_id, owner_id, track, kind, status, started_at, confirmed_at, resolved_at, extent, summary,
                    scope, evidence, explanation)
                select id, owner_id, 'availability', ?, 'resolved', now() - ? * interval '1 second', null, now() - ? * interval '1 second',
                    'whole', 'Deploy blip', '{}'::jsonb, '{}'::jsonb, '{}'::jsonb from monitor where id = ?
                """, kind, agoSeconds + seconds, agoSeconds, monitor);
    }

    /** Another event on the incident of {@code notification}'s event (resolving it for "recovered"); returns its outbox row. */
    private long followUp(long notification, String type) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long incident = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "select e.incident_id, e.kind from notification n join incident_event e on e.id = n.event_id where n.id = ?")) {
                ps.setLong(1, notification);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    incident = rs.getLong(1);
                }
            }
            if (type.equals("recovered")) {
                try (PreparedStatement ps = c.prepareStatement("update incident set status = 'resolved', resolved_at = now() where id = ?")) {
                    ps.setLong(1, incident);
                    ps.executeUpdate();
                }
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    with e as (insert into incident_event (incident_id, type, kind, at, summary)
                               select id, ?, kind, now(), summary from incident where id = ? returning id)
                    select e.id from e
                    """)) {
                ps.setString(1, type);
                ps.setLong(2, incident);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            c.commit();
            return fx.count("select id from notification where event_id = ?", id);
        }
    }

    @Test
    void channelsAreManagedInTheWebUiWithTheApisErrorsNextToTheFields() {
        TestOwner owner = Owners.create();
        try (Receiver slack = new Receiver()) {
            owner.web().get("/channels").then().statusCode(200).body(containsString("No channels yet"));
            String bad = owner.web().formParam("csrf", owner.csrf()).formParam("type", "webhook").formParam("name", "")
                    .formParam("url", "ftp://x").formParam("secret", "short").post("/channels").then().statusCode(400).extract().asString();
            assertTrue(bad.contains("id=\"name-error\">Name must be 1 to 100 characters"), bad);
            assertTrue(bad.contains("id=\"url-error\">URL") && bad.contains("id=\"secret-error\">Secret"), bad);
            assertTrue(bad.contains("value=\"ftp://x\""), "what was typed is kept");
            owner.api().get("/api/v1/channels").then().body("size()", equalTo(0));
            long m = fx.monitor(owner, "shop", "https://shop.example.com/", -1);
            String location = owner.web().formParam("csrf", owner.csrf()).formParam("type", "slack").formParam("name", "ops")
                    .formParam("webhookUrl", slack.url("/ui")).formParam("enabled", "on").formParam("digest", "on")
                    .formParam("timeZone", "Europe/Berlin").formParam("monitorIds", Long.toString(m))
                    .post("/channels").then().statusCode(303).extract().header("Location");
            long id = Long.parseLong(location.replaceAll(".*/channels/(\\d+).*", "$1"));
            owner.api().get("/api/v1/channels/" + id).then().statusCode(200).body("monitorIds", equalTo(List.of((int) m)))
                    .body("settings.digest", equalTo(true)).body("settings.timeZone", equalTo("Europe/Berlin"))
                    .body("secretsSet", equalTo(List.of("webhookUrl")));
            owner.api().get("/api/v1/monitors/" + m).then().body("alertPolicy.channels", equalTo(List.of((int) id)));
            String page = owner.web().get("/channels/" + id + "?saved=1").then().statusCode(200).extract().asString();
            assertTrue(page.contains("Saved.") && page.contains("(set; leave empty to keep)"), page);
            assertTrue(!page.contains(slack.url("/ui")), "the webhook URL is a secret and never shown");
            owner.web().formParam("csrf", owner.csrf()).post("/channels/" + id + "/test").then().statusCode(200)
                    .body(containsString("Test alert delivered")).body(containsString("Receiver's answer: <code>200"));
            owner.web().formParam("csrf", owner.csrf()).formParam("name", "ops").formParam("timeZone", "Nowhere")
                    .post("/channels/" + id).then().statusCode(400).body(containsString("id=\"time-zone-error\""));
            owner.web().formParam("csrf", owner.csrf()).formParam("name", "ops renamed").formParam("enabled", "on")
                    .post("/channels/" + id).then().statusCode(303);
            owner.api().get("/api/v1/channels/" + id).then().body("name", equalTo("ops renamed")).body("monitorIds", equalTo(List.of()))
                    .body("secretsSet", equalTo(List.of("webhookUrl")));
            owner.web().formParam("name", "x").post("/channels/" + id).then().statusCode(403);
            owner.web().formParam("csrf", owner.csrf()).post("/channels/" + id + "/delete").then().statusCode(303)
                    .header("Location", org.hamcrest.Matchers.endsWith("/channels?deleted=1"));
            owner.api().get("/api/v1/channels/" + id).then().statusCode(404);
        }
    }

    @Test
    void aReceiverUrlIsCheckedAgainstTheSsrfGuardWhenSentNotOnlyWhenSaved() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver slack = new Receiver()) {
            long channel = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + slack.url("/g") + "\"}}");
            long m = fx.monitor(owner, "shop", "https://shop.example.com/", channel);
            // As if its DNS name had moved to the cloud metadata address after it was saved.
            Sql.update(dataSource, "update alert_channel set secrets = jsonb_build_object('webhookUrl', 'http://169.254.169.254/hook') where id = ?", channel);
            long n = fx.event(m, "opened", "outage");
            AlertFixtures.waitFor(() -> "failed".equals(fx.status(n)));
            assertTrue(fx.lastError(n).contains("refused by the SSRF guard"), fx.lastError(n));
            assertEquals(0, slack.requests().size());
        }
    }

    @Test
    void aSendConnectsToTheAddressTheGuardCheckedAndNeverLooksTheNameUpAgain() throws Exception {
        try (Receiver hook = new Receiver()) {
            // rebound.gatewatch.test is in no hosts file: a second lookup (where DNS rebinding would strike) fails.
            InetAddress checked = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            TargetGuard once = new TargetGuard(config) {
                @Override
                public Admission admit(String host) {
                    return new Admission(Optional.empty(), "rebound.gatewatch.test".equals(host) ? List.of(checked) : List.of());
                }
            };
            String url = hook.url("/named/hook?token=a%2Fb").replace("127.0.0.1", "rebound.gatewatch.test");
            Outcome sent = new HttpDelivery(vertx, config, once).post(url, Map.of("X-Gatewatch-Test", "1"), "{\"ok\":true}");
            assertEquals(Outcome.Result.DELIVERED, sent.result(), sent.response());
            Receiver.Request r = hook.requests().get(0);
            assertEquals("/named/hook", r.path());
            assertEquals("token=a%2Fb", r.query());
            assertEquals(URI.create(url).getAuthority(), r.header("Host"), "the URL's host name, not the address connected to");
            assertEquals("1", r.header("X-Gatewatch-Test"));
            assertEquals("{\"ok\":true}", r.body());

            Outcome unresolved = new HttpDelivery(vertx, config, once).post(url.replace("rebound", "gone"), Map.of(), "{}");
            assertEquals(Outcome.Result.RETRY, unresolved.result());
            assertEquals("could not resolve gone.gatewatch.test", unresolved.response());
            assertEquals(1, hook.requests().size());
        }
    }

    private void node() {
        Sql.update(dataSource, "insert into checker_node (id, region, host, version, started_at, last_seen_at) values ('node-alerting', 'alerting-test', 'h', 'v', now(), now() + interval '1 hour')"
                + " on conflict (id) do update set last_seen_at = now() + interval '1 hour'");
    }

    private static void write(ResultWriter writer, long monitor, Instant at, boolean ok) {
        writer.submit(List.of(new CheckResult(monitor, "alerting-test", "system", "node-alerting", at, at, ok, ok ? 200 : 502,
                ok ? null : ErrorClass.ASSERTION_FAILED, null, new Timings(1, 1, null, 5, 1, 8), "127.0.0.1", 0, "http://127.0.0.1/", 2,
                new EdgeInfo(null, null, null, "nginx", ok ? ErrorSource.NONE : ErrorSource.ORIGIN, ok ? null : "nginx"), null, null,
                List.of())), null);
        assertTrue(writer.flush(Duration.ofSeconds(10)));
    }

    private static String part(MimeMessage mail, String type) throws Exception {
        Object content = mail.getContent();
        if (content instanceof Multipart mp) {
            String found = find(mp, type);
            if (found != null) {
                return found;
            }
        }
        return content.toString();
    }

    private static String find(Multipart mp, String type) throws Exception {
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart p = mp.getBodyPart(i);
            if (p.getContent() instanceof Multipart inner) {
                String f = find(inner, type);
                if (f != null) {
                    return f;
                }
            } else if (p.isMimeType(type)) {
                return p.getContent().toString();
            }
        }
        return null;
    }

    /** Quarkus loads test classes in more than one class loader: the port is kept JVM-wide so all agree on it. */
    private static synchronized int freePort() {
        String key = "alerting-test.smtp-port";
        if (System.getProperty(key) == null) {
            System.setProperty(key, Integer.toString(pickPort()));
        }
        return Integer.getInteger(key);
    }

    private static int pickPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
