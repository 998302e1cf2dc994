package dev.gatewatch.check;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Management;
import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.check.schedule.CheckerEngine;
import dev.gatewatch.check.schedule.NodeRegistry;
import dev.gatewatch.check.schedule.ScheduleStore;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.target.TargetGuard;
import dev.gatewatch.support.DatabaseLogin;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.TargetServers;
import dev.gatewatch.support.TcpProxy;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * Faults around the checker, each real: targets whose answers PostgreSQL cannot store, a database that refuses a row,
 * a checker cut off from the database past its lease, a tenant whose targets hang.
 */
@Tag("slow") // real faults, processes or a long sweep: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(CheckerProfile.class)
class CheckerFaultsTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Vertx vertx;
    @Inject
    TargetGuard guard;
    @Inject
    DatabaseLogin db;

    static Vertx targetsVertx;
    static HttpServer site;
    static int sitePort;
    static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
    static ServerSocket raw;
    static TargetServers targets;

    @BeforeAll
    static void peers() throws Exception {
        targetsVertx = Vertx.vertx();
        targets = TargetServers.start(targetsVertx, "127.0.0.1");
        site = targetsVertx.createHttpServer().requestHandler(req -> {
            HITS.computeIfAbsent(req.path(), k -> new AtomicInteger()).incrementAndGet();
            switch (req.path()) {
                // a JSON string that decodes to U+0000, and a lone surrogate, which jsonb refuses
                case "/poison-json" -> req.response().putHeader("content-type", "application/json")
                        .end("{\"status\":\"\\u0000\\ud800 down\"}");
                case "/refuse-me" -> req.response().setStatusCode(500).end("refuse-me: this body is refused by a check constraint");
                default -> req.response().end("ok");
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        sitePort = site.actualPort();
        // NUL bytes in a header value and in the body, below what an HTTP library would let through
        raw = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (!raw.isClosed()) {
                try (Socket s = raw.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[8192];
                    in.read(buf);
                    byte[] body = "<html>bad\u0000gateway\u0000</html>".getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 502 Bad Gateway\r\nServer: ngi\u0000nx\r\nX-Cache: \u0000\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // next
                }
            }
        }, "nul-target");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void stop() throws Exception {
        raw.close();
        targets.close();
        targetsVertx.close();
    }

    @Test
    void poisonedAnswersAreStoredOrSetAsideWhileHealthyMonitorsKeepBeingStored() throws Exception {
        var owner = Owners.create();
        List<Long> healthy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            healthy.add(monitor(owner, "healthy-" + i, "http://127.0.0.1:" + sitePort + "/healthy/" + i, Map.of()));
        }
        long json = monitor(owner, "poison-json", "http://127.0.0.1:" + sitePort + "/poison-json",
                Map.of("jsonAssertions", List.of(Map.of("path", "$.status", "op", "equals", "value", "ok"))));
        long nul = monitor(owner, "nul-bytes", "http://127.0.0.1:" + raw.getLocalPort() + "/", Map.of());
        long refused;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            // PostgreSQL itself refusing a row (SQLSTATE 23514), as a constraint or a bad value would
            st.execute("alter table check_result add constraint refuse_me_probe check (error_body is null or error_body not like 'refuse-me%')");
        }
        Instant from = Instant.now();
        try {
            refused = monitor(owner, "refused", "http://127.0.0.1:" + sitePort + "/refuse-me", Map.of());
            awaitCount(refused, "error_class = 'unstorable_result'", 3, Duration.ofSeconds(30));
            awaitCount(json, "replaced_chars > 0", 3, Duration.ofSeconds(30));
            awaitCount(nul, "replaced_chars > 0", 3, Duration.ofSeconds(30));
            Thread.sleep(3000);
        } finally {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("alter table check_result drop constraint refuse_me_probe");
            }
        }
        Instant to = Instant.now();

        for (long id : healthy) {
            List<Instant> starts = column(id, "started_at", from, to);
            assertTrue(starts.size() >= Duration.between(from, to).toSeconds() / 2, "monitor " + id + " kept being stored: " + starts.size());
            for (int i = 1; i < starts.size(); i++) {
                assertTrue(Duration.between(starts.get(i - 1), starts.get(i)).toMillis() < 3000,
                        "no pause in storing monitor " + id + ": " + starts.get(i - 1) + " → " + starts.get(i));
            }
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select error_message, assertion_failures::text, replaced_chars from check_result_full
                where monitor_id = ? and replaced_chars > 0 limit 1
                """)) {
            ps.setLong(1, json);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).contains("\uFFFD\uFFFD down"), rs.getString(1));
                assertTrue(rs.getString(2).contains("\uFFFD\uFFFD down"), rs.getString(2));
                assertTrue(rs.getInt(3) >= 2);
            }
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select error_message, ok, error_body from check_result_full where monitor_id = ? and error_class = 'unstorable_result' limit 1")) {
            ps.setLong(1, refused);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("stored without its details: PostgreSQL refused them (23514"), rs.getString(1));
                assertEquals(false, rs.getBoolean(2));
                assertEquals(null, rs.getString(3));
            }
        }
        // the API shows the replacement; the writer is not stuck on anything
        given().header("Authorization", "Bearer " + owner.token()).get("/api/v1/monitors/" + nul + "/results?limit=1").then()
                .statusCode(200).body("[0].replacedChars", org.hamcrest.Matchers.greaterThan(0));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metric(metrics, "gatewatch_check_results_unstorable_total") >= 3, "counted");
        assertTrue(metric(metrics, "gatewatch_check_results_buffered") < 100, "nothing waits to be retried");
    }

    /**
     * A checker cut off from PostgreSQL past its lease goes on checking what it held; another checker takes those slots
     * over; the cut-off one's late results are fenced out: no (monitor, region, resolver, due) is stored twice.
     */
    @Test
    void aCheckerCutOffPastItsLeaseStoresNoDuplicates() throws Exception {
        String region = "fence";
        var owner = Owners.create();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(monitor(owner, "fence-" + i, "http://127.0.0.1:" + sitePort + "/fence/" + i,
                    Map.of("regions", List.of(region), "resolvers", List.of("system", "127.0.0.1:1"))));
        }
        Duration lease = Duration.ofSeconds(3);
        try (TcpProxy proxy = new TcpProxy(db.port());
                Probe probe = new Probe(vertx, new Probe.Settings(65536, 2048, "test", List.of(), 4, 2, Duration.ofSeconds(2)), guard);
                ResultWriter writerA = new ResultWriter(proxy.dataSource(db.url(), db.user(), db.password()), new ResultWriter.Settings(500, Duration.ofMillis(100), 10_000), () -> { });
                ResultWriter writerB = new ResultWriter(dataSource, new ResultWriter.Settings(500, Duration.ofMillis(100), 10_000), () -> { })) {
            CheckerEngine a = engine("fence-a", region, probe, writerA, proxy.dataSource(db.url(), db.user(), db.password()), lease, 100, 0.25);
            CheckerEngine b = engine("fence-b", region, probe, writerB, dataSource, lease, 100, 0.25);
            a.start();
            b.start();
            Thread.sleep(4000);
            proxy.cut();
            Thread.sleep(3 * lease.toMillis());
            assertTrue(a.databaseAway(), "the cut-off checker knows");
            long madeWhileAway = a.checksWhileDatabaseAway();
            assertTrue(madeWhileAway > 0, "the cut-off checker went on checking");
            proxy.restore();
            awaitTrue(() -> !a.databaseAway(), Duration.ofSeconds(30), "the checker claims again");
            assertTrue(writerA.flush(Duration.ofSeconds(20)));
            Thread.sleep(2000);
            a.stop(Duration.ofSeconds(5));
            b.stop(Duration.ofSeconds(5));
            assertTrue(writerA.superseded() > 0, "late results were fenced out, not stored: " + writerA.superseded());
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select count(*) - count(distinct (monitor_id, region, resolver, due_at)), count(*)
                from check_result_full where region = ? and monitor_id = any(?)
                """)) {
            ps.setString(1, region);
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "duplicate (monitor, region, resolver, due) rows among " + rs.getLong(2));
                assertTrue(rs.getLong(2) > ids.size() * 2 * 10, "checked throughout: " + rs.getLong(2));
            }
        }
    }

    /**
     * One owner's hanging targets next to another owner's monitor on a checker with four slots: the hanging ones hold
     * at most three, so the other owner's checks still start on time.
     */
    @Test
    void aTarpitTenantCannotDelayAnotherTenantsChecks() throws Exception {
        String region = "fair";
        var tarpit = Owners.create();
        var normal = Owners.create();
        for (int i = 0; i < 12; i++) {
            monitor(tarpit, "tarpit-" + i, "http://127.0.0.1:" + targets.silentPort() + "/",
                    Map.of("regions", List.of(region), "intervalSeconds", 60, "timeoutMs", 60000));
        }
        long victim = monitor(normal, "victim", "http://127.0.0.1:" + sitePort + "/victim",
                Map.of("regions", List.of(region), "intervalSeconds", 1));
        // Monitors other test classes left (no region list, so eligible here too, many on dead or hanging targets) would
        // be further owners sharing the four slots: paused while this runs, so the two owners are alone on the checker.
        List<Long> others = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update monitor set paused = true
                where not paused and owner_id <> all(?) returning id
                """)) {
            ps.setArray(1, c.createArrayOf("bigint", new Long[] {ownerId(tarpit), ownerId(normal)}));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    others.add(rs.getLong(1));
                }
            }
        }
        Instant from = Instant.now();
        try (Probe probe = new Probe(vertx, new Probe.Settings(65536, 2048, "test", List.of(), 4, 2, Duration.ofSeconds(2)), guard);
                ResultWriter writer = new ResultWriter(dataSource, new ResultWriter.Settings(500, Duration.ofMillis(100), 10_000), () -> { })) {
            CheckerEngine engine = engine("fair-1", region, probe, writer, dataSource, Duration.ofSeconds(5), 4, 0.25);
            engine.start();
            Thread.sleep(15_000);
            engine.halt();
        } finally {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "update monitor set paused = false where id = any(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", others.toArray()));
                ps.executeUpdate();
            }
        }
        List<Long> lags = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select extract(epoch from started_at - due_at) * 1000 from check_result_full where monitor_id = ? and started_at > ? order by 1")) {
            ps.setLong(1, victim);
            ps.setObject(2, OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lags.add(rs.getLong(1));
                }
            }
        }
        assertTrue(lags.size() >= 10, "the other owner's monitor was checked: " + lags);
        long p99 = lags.get((int) Math.ceil(lags.size() * 0.99) - 1);
        System.out.printf("tarpit tenant: the other owner's start lag p50 %d ms, p99 %d ms, max %d ms over %d checks%n",
                lags.get(lags.size() / 2), p99, lags.get(lags.size() - 1), lags.size());
        assertTrue(p99 < 2000, "start lag p99 " + p99 + " ms: " + lags);
    }

    CheckerEngine engine(String name, String region, Probe probe, ResultWriter writer, javax.sql.DataSource ds, Duration lease,
            int slots, double share) {
        return new CheckerEngine(new CheckerEngine.Settings(name, region, "test-host", "test", slots, Duration.ofMillis(100),
                Duration.ofMillis(300), 200, lease, Duration.ofSeconds(1), share), new ScheduleStore(ds), new NodeRegistry(ds),
                probe, writer, vertx, lag -> { }, r -> { });
    }

    long ownerId(Owners.TestOwner owner) {
        return dev.gatewatch.api.Sql.number(dataSource, "select id from owner where email = ?", owner.email());
    }

    static long monitor(Owners.TestOwner owner, String name, String url, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "url", url, "intervalSeconds", 1, "timeoutMs", 1000,
                "resolvers", List.of("system")));
        body.putAll(extra);
        return owner.api().body(body).post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    void awaitCount(long monitorId, String condition, int atLeast, Duration timeout) throws Exception {
        awaitTrue(() -> count(monitorId, condition) >= atLeast, timeout, "monitor " + monitorId + ": " + condition);
    }

    long count(long monitorId, String condition) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from check_result_full where monitor_id = ? and " + condition)) {
            ps.setLong(1, monitorId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Instant> column(long monitorId, String column, Instant from, Instant to) throws Exception {
        List<Instant> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select " + column + " from check_result_full where monitor_id = ? and started_at between ? and ? order by 1")) {
            ps.setLong(1, monitorId);
            ps.setObject(2, OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            ps.setObject(3, OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                }
            }
        }
        return out;
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(100);
        }
    }

    static double metric(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
