package dev.gatewatch.alerting;

import static dev.gatewatch.alerting.AlertFixtures.waitFor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Management;
import dev.gatewatch.alerting.channel.HttpDelivery;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.target.TargetGuard;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import dev.gatewatch.support.Receiver;
import dev.gatewatch.support.Receiver.Answer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * The notifier under real faults on loopback: a Slack receiver that takes every request and never answers, beside
 * healthy channels, and outbox rows whose data cannot be built or stored.
 */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(NotifierIsolationTest.Profile.class)
class NotifierIsolationTest {

    static final Duration SEND_TIMEOUT = Duration.ofSeconds(4);
    static final Duration UNCONFIRMED_BACKOFF = Duration.ofSeconds(4);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("gatewatch.roles", "api,notifier"),
                    Map.entry("gatewatch.analyzer.interval", "1h"),
                    Map.entry("gatewatch.notifier.poll-interval", "100ms"),
                    Map.entry("gatewatch.notifier.initial-backoff", "300ms"),
                    Map.entry("gatewatch.notifier.max-backoff", "30s"),
                    Map.entry("gatewatch.notifier.lease", "30s"),
                    Map.entry("gatewatch.notifier.send-timeout", SEND_TIMEOUT.toSeconds() + "s"),
                    Map.entry("gatewatch.notifier.unconfirmed-backoff", UNCONFIRMED_BACKOFF.toSeconds() + "s"),
                    Map.entry("gatewatch.public-url", "https://gatewatch.example"),
                    Map.entry("quarkus.mailer.mock", "false"),
                    Map.entry("quarkus.mailer.host", "127.0.0.1"),
                    Map.entry("quarkus.mailer.port", Integer.toString(SmtpTarpit.port())),
                    Map.entry("quarkus.mailer.from", "alerts@gatewatch.test"),
                    Map.entry("quarkus.mailer.start-tls", "DISABLED"));
        }
    }

    /** An SMTP server that accepts connections and never sends its greeting; one per JVM (both class loaders share it). */
    static final class SmtpTarpit {
        private static final String PORT = "dev.gatewatch.test.smtp-tarpit-port";
        private static final List<java.net.Socket> HELD = new ArrayList<>();

        static synchronized int port() {
            synchronized (System.getProperties()) {
                String known = System.getProperty(PORT);
                if (known != null) {
                    return Integer.parseInt(known);
                }
                try {
                    ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
                    Thread t = new Thread(() -> {
                        while (true) {
                            try {
                                java.net.Socket s = server.accept();
                                synchronized (HELD) {
                                    HELD.add(s);
                                }
                            } catch (java.io.IOException e) {
                                return;
                            }
                        }
                    }, "smtp-tarpit");
                    t.setDaemon(true);
                    t.start();
                    System.setProperty(PORT, Integer.toString(server.getLocalPort()));
                    return server.getLocalPort();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AlertFixtures fx;
    @Inject
    Vertx vertx;
    @Inject
    GatewatchConfig config;
    @Inject
    TargetGuard guard;

    @Test
    void aHangingSlackReceiverDelaysNoOtherChannelAndIsNotRepostedInATightLoop() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver hanging = new Receiver().hang(Duration.ofSeconds(60)); Receiver hook = new Receiver()) {
            long slack = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"stuck\",\"secrets\":{\"webhookUrl\":\"" + hanging.url("/stuck") + "\"}}");
            long webhook = fx.channel(owner, "{\"type\":\"webhook\",\"name\":\"pager\",\"settings\":{\"url\":\"" + hook.url("/hook")
                    + "\"},\"secrets\":{\"secret\":\"s3cret-s3cret-s3cret\"}}");
            long a1 = fx.monitor(owner, "one", "https://one.example.com/", slack);
            long a2 = fx.monitor(owner, "two", "https://two.example.com/", slack);
            List<Long> paged = List.of(fx.monitor(owner, "p1", "https://p1.example.com/", webhook),
                    fx.monitor(owner, "p2", "https://p2.example.com/", webhook));
            double duplicatesBefore = metric("gatewatch_alert_duplicate_sends_total", "channel_type=\"slack\"");
            AtomicLong mostInFlight = new AtomicLong();
            Thread sampler = sampleInFlight(slack, mostInFlight);
            try {
                long n1 = fx.event(a1, "opened", "outage");
                long n2 = fx.event(a2, "opened", "outage");
                List<Long> latencies = new ArrayList<>();
                // While the stuck channel holds a send (the first, then the second alert), another channel's alerts go out.
                for (int stuckPosts = 1; stuckPosts <= 2; stuckPosts++) {
                    int posts = stuckPosts;
                    waitFor(() -> hanging.requests().size() >= posts);
                    int before = hook.requests().size();
                    Instant queued = Instant.now();
                    fx.event(paged.get(posts - 1), "opened", "outage");
                    waitFor(() -> hook.requests().size() > before);
                    latencies.add(Duration.between(queued, hook.requests().get(before).at()).toMillis());
                }
                Logger.getLogger(NotifierIsolationTest.class).infof("webhook alerts beside the stuck Slack channel arrived after %s ms", latencies);
                for (long ms : latencies) {
                    assertTrue(ms < 2000, "the webhook alert arrived " + ms + " ms after it was queued, beside a hanging Slack send");
                }
                // Each stuck alert is posted again only after the timeout and the unconfirmed backoff, never in a loop.
                waitFor(() -> hanging.requests().size() >= 4, () -> "the stuck alerts were not retried");
                List<Receiver.Request> got = hanging.requests();
                long floor = SEND_TIMEOUT.plus(UNCONFIRMED_BACKOFF).toMillis() - 100;
                for (String host : List.of("one.example.com", "two.example.com")) {
                    List<Instant> at = got.stream().filter(r -> r.body().contains(host)).map(Receiver.Request::at).toList();
                    assertTrue(at.size() >= 1, host + " was posted");
                    for (int i = 1; i < at.size(); i++) {
                        long gap = Duration.between(at.get(i - 1), at.get(i)).toMillis();
                        assertTrue(gap >= floor, host + " was posted again after " + gap + " ms, less than timeout + backoff");
                    }
                }
                for (int i = 1; i < got.size(); i++) {
                    long gap = Duration.between(got.get(i - 1).at(), got.get(i).at()).toMillis();
                    assertTrue(gap >= SEND_TIMEOUT.toMillis() - 500, "one send at a time on the stuck channel, next after " + gap + " ms");
                }
                // A second post after an unanswered one may have doubled the message: counted, and shown on the channel.
                waitFor(() -> metric("gatewatch_alert_duplicate_sends_total", "channel_type=\"slack\"") >= duplicatesBefore + 1);
                owner.api().get("/api/v1/channels/" + slack + "/deliveries").then().statusCode(200)
                        .body("find { it.id == " + n1 + " }.unconfirmedSends", greaterThanOrEqualTo(1))
                        .body("find { it.id == " + n1 + " }.lastError", containsString("no answer within 4 s"));
                assertTrue(List.of("pending", "sending").contains(fx.status(n2)), "still retried, not given up: " + fx.status(n2));
                assertEquals(2, hook.requests().size(), "each webhook alert delivered once");
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            assertEquals(1, mostInFlight.get(), "the stuck channel never had more than one send in flight");
        }
    }

    @Test
    void aRowThatCannotBeBuiltOrStoredIsSetAsideAndTheOthersAreDeliveredOnce() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver slack = new Receiver(); Receiver nul = new Receiver().script(Answer.of(200, "ok\u0000"))) {
            long good = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"ops\",\"secrets\":{\"webhookUrl\":\"" + slack.url("/ops") + "\"}}");
            long odd = fx.channel(owner, "{\"type\":\"slack\",\"name\":\"odd\",\"secrets\":{\"webhookUrl\":\"" + nul.url("/odd") + "\"}}");
            double builtBefore = metric("gatewatch_alert_set_aside_total", "stage=\"build\"");
            double answerBefore = metric("gatewatch_alert_set_aside_total", "stage=\"answer\"");
            long m1 = fx.monitor(owner, "a", "https://a.example.com/", good);
            long m2 = fx.monitor(owner, "b", "https://b.example.com/", good);
            long m3 = fx.monitor(owner, "c", "https://c.example.com/", good);
            long m4 = fx.monitor(owner, "d", "https://d.example.com/", odd);
            long first = fx.event(m1, "opened", "outage");
            long poison;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                poison = fx.insertEvent(c, m2, "opened", "outage");
                // An explanation without its fields: building the Slack message throws, every time.
                try (PreparedStatement ps = c.prepareStatement("update incident set explanation = '{}'::jsonb where id ="
                        + " (select incident_id from incident_event where id = (select event_id from notification where id = ?))")) {
                    ps.setLong(1, poison);
                    ps.executeUpdate();
                }
                c.commit();
            }
            long last = fx.event(m3, "opened", "outage");
            long answered = fx.event(m4, "opened", "outage");
            waitFor(() -> "delivered".equals(fx.status(first)) && "delivered".equals(fx.status(last)) && "failed".equals(fx.status(poison))
                    && "delivered".equals(fx.status(answered)), () -> fx.lastError(poison) + " / " + fx.lastError(answered));
            assertTrue(fx.lastError(poison).contains("the message could not be built"), fx.lastError(poison));
            Thread.sleep(1500);
            assertEquals(1L, fx.count("select attempts from notification where id = ?", poison), "set aside, not retried");
            assertEquals(2, slack.requests().size(), "the two good alerts, once each");
            assertFalse(slack.requests().stream().anyMatch(r -> r.body().contains("b.example.com")));
            // The receiver's answer held a NUL byte, which PostgreSQL refuses: delivered once, the answer replaced.
            assertEquals(1, nul.requests().size());
            owner.api().get("/api/v1/channels/" + odd + "/deliveries").then().statusCode(200)
                    .body("[0].status", equalTo("delivered")).body("[0].lastResponse", containsString("could not be stored"));
            assertTrue(metric("gatewatch_alert_set_aside_total", "stage=\"build\"") >= builtBefore + 1);
            assertTrue(metric("gatewatch_alert_set_aside_total", "stage=\"answer\"") >= answerBefore + 1);
        }
    }

    @Test
    void anSmtpServerThatNeverAnswersTimesOutAsUnconfirmedBesideAHealthyChannel() throws Exception {
        TestOwner owner = Owners.create();
        try (Receiver hook = new Receiver()) {
            long email = fx.channel(owner, "{\"type\":\"email\",\"name\":\"team\",\"settings\":{\"recipients\":[\"oncall@shop.test\"]}}");
            long webhook = fx.channel(owner, "{\"type\":\"webhook\",\"name\":\"pager\",\"settings\":{\"url\":\"" + hook.url("/hook")
                    + "\"},\"secrets\":{\"secret\":\"s3cret-s3cret-s3cret\"}}");
            long mailed = fx.event(fx.monitor(owner, "mail", "https://mail.example.com/", email), "opened", "outage");
            Instant queued = Instant.now();
            long paged = fx.event(fx.monitor(owner, "page", "https://page.example.com/", webhook), "opened", "outage");
            waitFor(() -> "delivered".equals(fx.status(paged)));
            long ms = Duration.between(queued, hook.requests().get(0).at()).toMillis();
            assertTrue(ms < 2000, "the webhook alert arrived " + ms + " ms after it was queued, beside a hanging SMTP server");
            // Without a timeout of its own the blocking mailer waited forever: the alert stayed 'sending'.
            waitFor(() -> fx.lastError(mailed).contains("SMTP"), () -> "the e-mail send never ended: " + fx.lastError(mailed));
            assertTrue(fx.lastError(mailed).contains("no answer from the SMTP server within 4 s"), fx.lastError(mailed));
            assertTrue(List.of("pending", "sending").contains(fx.status(mailed)), "retried later, not given up: " + fx.status(mailed));
        }
    }

    @Test
    void aSendIsUnconfirmedOnlyWhenTheRequestWentOut() throws Exception {
        HttpDelivery http = new HttpDelivery(vertx, config, guard);
        try (Receiver hanging = new Receiver().hang(Duration.ofSeconds(60))) {
            Outcome o = http.post(hanging.url("/x"), Map.of(), "{}");
            assertEquals(Outcome.Result.RETRY, o.result());
            assertTrue(o.unconfirmed(), o.response());
            assertEquals(1, hanging.requests().size());
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        Outcome refused = http.post("http://127.0.0.1:" + closed + "/x", Map.of(), "{}");
        assertEquals(Outcome.Result.RETRY, refused.result());
        assertFalse(refused.unconfirmed(), "nothing went out: " + refused.response());
        try (Receiver down = new Receiver().script(Answer.of(503, "later"))) {
            Outcome answered = http.post(down.url("/y"), Map.of(), "{}");
            assertEquals(Outcome.Result.RETRY, answered.result());
            assertFalse(answered.unconfirmed(), "the receiver answered: " + answered.response());
        }
    }

    /** Samples how many sends the channel has in flight, keeping the most seen. */
    private Thread sampleInFlight(long channel, AtomicLong most) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                most.accumulateAndGet(fx.count("select count(*) from notification where channel_id = ? and status = 'sending'", channel), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "in-flight-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A value from the Prometheus scrape, 0 if the series is not there yet. */
    private static double metric(String name, String label) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
