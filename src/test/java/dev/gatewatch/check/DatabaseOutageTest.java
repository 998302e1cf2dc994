package dev.gatewatch.check;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Management;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.PostgresServer;
import dev.gatewatch.support.Receiver;
import dev.gatewatch.support.TargetServers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;

/**
 * The real PostgreSQL server stopped for 60 s and started again under a running checker: the checker goes on checking
 * the monitors it holds, readiness is DOWN meanwhile and the dead man's switch goes quiet, and afterwards every check is
 * stored, once, and the pings come back. Diagnoses asked for or read meanwhile get a 503 problem, not a 500.
 */
@Tag("slow") // real faults, processes or a long sweep: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(DatabaseOutageTest.Profile.class)
class DatabaseOutageTest {

    /**
     * The checker, with a heartbeat pinged every second. The profile is loaded in more than one class loader, so the
     * receiver's port is agreed through a system property and the test starts the receiver itself.
     */
    public static class Profile extends CheckerProfile {
        static int port() {
            synchronized (System.getProperties()) {
                String port = System.getProperty("dev.gatewatch.test.heartbeat-port");
                if (port == null) {
                    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                        port = Integer.toString(s.getLocalPort());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    System.setProperty("dev.gatewatch.test.heartbeat-port", port);
                }
                return Integer.parseInt(port);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("gatewatch.heartbeat.url", "http://127.0.0.1:" + port() + "/ping/gatewatch");
            config.put("gatewatch.heartbeat.interval", "1s");
            config.put("gatewatch.health.store-stall", "10s");
            return config;
        }
    }

    static final Duration OUTAGE = Duration.ofSeconds(60);
    static final int INTERVAL = 2;

    @Inject
    AgroalDataSource dataSource;

    static Vertx vertx;
    static TargetServers targets;
    static Receiver heartbeat;

    @BeforeAll
    static void peers() {
        vertx = Vertx.vertx();
        targets = TargetServers.start(vertx, "127.0.0.1");
        heartbeat = new Receiver(Profile.port());
    }

    @AfterAll
    static void stop() {
        heartbeat.close();
        targets.close();
        vertx.close();
    }

    @Test
    void checkingGoesOnThroughADatabaseOutageAndEverythingIsStoredOnce() throws Exception {
        var owner = Owners.create();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(owner.api().body(Map.of("name", "outage-" + i, "url", "http://127.0.0.1:" + targets.httpPort() + "/ok",
                    "intervalSeconds", INTERVAL, "timeoutMs", 1000, "resolvers", List.of("system")))
                    .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id"));
        }
        CheckerFaultsTest.awaitTrue(() -> ids.stream().allMatch(id -> stored(id) >= 3), Duration.ofSeconds(30), "first checks stored");
        Management.given().get("/q/health/ready").then().statusCode(200);
        CheckerFaultsTest.awaitTrue(() -> pings() >= 3, Duration.ofSeconds(30), "heartbeat pings while healthy");
        double awayBefore = CheckerFaultsTest.metric(metrics(), "gatewatch_check_database_away_checks_total");

        PostgresServer server = PostgresServer.of(dataSource);
        server.stop();
        Instant down = Instant.now();
        long pingsAtStop = pings();
        List<Integer> readiness = new ArrayList<>();
        List<String> stalled = new ArrayList<>();
        while (Duration.between(down, Instant.now()).compareTo(OUTAGE) < 0) {
            var ready = Management.given().get("/q/health/ready");
            readiness.add(ready.statusCode());
            if ("DOWN".equals(ready.jsonPath().getString("checks.find { it.name == 'check results stored' }.status"))) {
                stalled.add(ready.asString());
            }
            Thread.sleep(2000);
        }
        // Asking for a diagnosis, or reading one, while the database is away: 503 problems with Retry-After, never a 500.
        Response asked = owner.api().post("/api/v1/monitors/" + ids.get(0) + "/diagnose");
        Response shared = given().get("/api/v1/diagnoses/" + UUID.randomUUID());
        double awayDuring = CheckerFaultsTest.metric(metrics(), "gatewatch_check_database_away_checks_total") - awayBefore;
        long pingsInOutage = pings() - pingsAtStop;
        server.start();
        Instant up = Instant.now();

        CheckerFaultsTest.awaitTrue(() -> Management.given().get("/q/health/ready").statusCode() == 200, Duration.ofSeconds(60), "ready again");
        CheckerFaultsTest.awaitTrue(() -> CheckerFaultsTest.metric(metrics(), "gatewatch_check_results_buffered") == 0
                && ids.stream().allMatch(id -> stored(id, up, Instant.now()) >= 2), Duration.ofSeconds(60), "backlog written");

        assertTrue(readiness.subList(1, readiness.size()).stream().allMatch(s -> s == 503), "readiness DOWN in the outage: " + readiness);
        for (Response r : List.of(asked, shared)) {
            assertEquals(503, r.statusCode(), r.asString());
            assertEquals("application/problem+json", r.contentType(), r.asString());
            assertNotNull(r.header("Retry-After"), r.asString());
        }
        assertTrue(stalled.size() >= 10, "readiness says results are not being stored: " + stalled.size() + " of " + readiness.size());
        assertTrue(pingsInOutage <= 1, "the dead man's switch went quiet: " + pingsInOutage + " pings in the outage");
        long pingsAtUp = pings();
        CheckerFaultsTest.awaitTrue(() -> pings() >= pingsAtUp + 3, Duration.ofSeconds(30), "pings again once healthy");
        long expected = OUTAGE.toSeconds() / INTERVAL;
        System.out.printf("database outage of %d s: %.0f checks made while it was down (these %d monitors and those earlier tests"
                + " left), readiness DOWN in %d of %d samples, %d heartbeat pings in the outage%n", OUTAGE.toSeconds(), awayDuring,
                ids.size(), readiness.stream().filter(x -> x == 503).count(), readiness.size(), pingsInOutage);
        assertTrue(awayDuring >= ids.size() * expected * 0.8, "checks made while the database was down: " + awayDuring);
        for (long id : ids) {
            long during = stored(id, down.plusSeconds(INTERVAL), up.minusSeconds(INTERVAL));
            assertTrue(during >= (expected - 2) * 0.9, "monitor " + id + " checked during the outage and stored after: " + during);
            List<Instant> starts = starts(id, down.minusSeconds(10), up.plusSeconds(10));
            for (int i = 1; i < starts.size(); i++) {
                long gap = Duration.between(starts.get(i - 1), starts.get(i)).toMillis();
                assertTrue(gap <= INTERVAL * 2000L + 1500, "monitor " + id + " has a hole " + starts.get(i - 1) + " → " + starts.get(i));
            }
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) - count(distinct (monitor_id, region, resolver, due_at)) from check_result_full where monitor_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no duplicate (monitor, region, resolver, due)");
            }
        }
    }

    static long pings() {
        return heartbeat.requests().stream().filter(r -> r.path().equals("/ping/gatewatch")).count();
    }

    String metrics() {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    long stored(long id) {
        return stored(id, Instant.EPOCH, Instant.now().plusSeconds(60));
    }

    long stored(long id, Instant from, Instant to) {
        try {
            return starts(id, from, to).size();
        } catch (Exception e) {
            return -1;
        }
    }

    List<Instant> starts(long id, Instant from, Instant to) throws Exception {
        List<Instant> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select started_at from check_result_full where monitor_id = ? and started_at between ? and ? order by 1")) {
            ps.setLong(1, id);
            ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                }
            }
        }
        return out;
    }
}
