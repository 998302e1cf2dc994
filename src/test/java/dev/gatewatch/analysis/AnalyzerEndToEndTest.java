package dev.gatewatch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.check.CheckerProfile;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import dev.gatewatch.support.e2e.Backend;
import dev.gatewatch.support.e2e.Dnsmasq;
import dev.gatewatch.support.e2e.Nginx;
import dev.gatewatch.support.e2e.Ports;
import dev.gatewatch.support.e2e.RealTime;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The whole pipeline against real servers, in real time: checker → PostgreSQL → analyzer → incidents. Debian's nginx
 * proxies to small back ends on loopback; two dnsmasq resolvers answer the sites' names, one of them pointing
 * {@code partial.test} at a second nginx address whose back end is dead. The scenarios run side by side (one monitor
 * each, 10 s interval, 5 s for the outages, the default 60 s confirmation window), so it takes about 2.5 minutes.
 */
@Tag("e2e") // needs nginx, dnsmasq, chromium or network namespaces (src/test/e2e/install-tools.sh): ./mvnw verify
@QuarkusTest
@TestProfile(AnalyzerEndToEndTest.Profile.class)
class AnalyzerEndToEndTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(new CheckerProfile().getConfigOverrides());
            config.put("gatewatch.roles", "api,checker,analyzer");
            config.put("gatewatch.checker.region", "e2e");
            config.put("gatewatch.checker.lease", "20s");
            // Shorter than the monitors' 10 s interval, so the speed-up is visible in the results.
            config.put("gatewatch.analyzer.fast-interval", "5s");
            return config;
        }
    }

    private static final String LIVE = "127.0.0.2";
    private static final String DEAD = "127.0.0.3";
    private static final Map<String, Backend> BACKENDS = new LinkedHashMap<>();
    private static final List<AutoCloseable> PROCESSES = new ArrayList<>();
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    private static Dnsmasq resolverA;
    private static Dnsmasq resolverB;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void servers() {
        List<Nginx.Site> sites = new ArrayList<>();
        for (String name : List.of("restart20", "restart45", "down", "partial", "garbage", "slow", "overload")) {
            Backend b = Backend.start("127.0.0.1", 0);
            BACKENDS.put(name, b);
            PROCESSES.add(b);
            int port = Ports.freeTcpPort(LIVE, DEAD);
            PORTS.put(name, port);
            Nginx.Site site = Nginx.Site.of(LIVE, port, name + ".test", b.spec());
            sites.add(name.equals("overload") ? site.withReadTimeout(Duration.ofSeconds(3)) : site);
        }
        // The dead node: same name and port, another address, nothing behind it.
        sites.add(Nginx.Site.of(DEAD, PORTS.get("partial"), "partial.test", "127.0.0.1:" + Ports.deadTcpPort("127.0.0.1")));
        PROCESSES.add(Nginx.start(sites));
        Map<String, String> a = new LinkedHashMap<>();
        PORTS.keySet().forEach(n -> a.put(n + ".test", LIVE));
        Map<String, String> b = new LinkedHashMap<>(a);
        b.put("partial.test", DEAD);
        resolverA = Dnsmasq.start(a);
        resolverB = Dnsmasq.start(b);
        PROCESSES.add(resolverA);
        PROCESSES.add(resolverB);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable p : PROCESSES) {
            p.close();
        }
    }

    @Test
    void deployBlipsOutagesPartialMalformedAndSlowAreToldApart() throws Exception {
        TestOwner owner = Owners.create();
        Map<String, Long> monitors = new LinkedHashMap<>();
        for (String name : PORTS.keySet()) {
            String limit = name.equals("slow") ? ",\"maxResponseTimeMs\":1000" : "";
            int interval = name.equals("down") || name.equals("overload") ? 5 : 10;
            monitors.put(name, ((Number) owner.api().body("{\"name\":\"" + name + "\",\"url\":\"http://" + name + ".test:" + PORTS.get(name)
                    + "/\",\"intervalSeconds\":" + interval + ",\"timeoutMs\":" + (interval - 1) * 1000 + ",\"resolvers\":[\"" + resolverA.spec() + "\",\"" + resolverB.spec() + "\"]"
                    + limit + "}").post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue());
        }
        // Everything but the dead node answers before the trouble starts.
        RealTime.waitFor(Duration.ofSeconds(40), () -> monitors.entrySet().stream().filter(e -> !e.getKey().equals("partial"))
                .allMatch(e -> count("select count(*) from check_result where monitor_id = ? and ok", e.getValue()) >= 2));

        Instant t = Instant.now();
        BACKENDS.get("restart20").stop();
        BACKENDS.get("restart45").stop();
        BACKENDS.get("down").stop();
        BACKENDS.get("garbage").garbage();
        BACKENDS.get("slow").slow(Duration.ofMillis(2500));
        BACKENDS.get("overload").slow(Duration.ofSeconds(8));
        RealTime.sleepUntil(t.plusSeconds(20));
        BACKENDS.get("restart20").start();
        RealTime.sleepUntil(t.plusSeconds(45));
        BACKENDS.get("restart45").start();
        RealTime.sleepUntil(t.plusSeconds(100));
        BACKENDS.get("down").start();
        RealTime.waitFor(Duration.ofSeconds(60), () -> "resolved".equals(status(monitors.get("down"))));

        // Restarts of 20 s and 45 s: one deploy blip each, never confirmed.
        for (String name : List.of("restart20", "restart45")) {
            JsonPath all = incidents(owner, monitors.get(name));
            assertEquals(1, all.getList("").size(), name + ": " + all.prettify());
            assertEquals("deploy_blip", all.getString("[0].kind"), name);
            assertEquals("resolved", all.getString("[0].status"), name);
            assertNull(all.get("[0].confirmedAt"), name);
            assertTrue(all.getList("[0].evidence.statuses").contains(502), name + " saw nginx's 502");
            assertTrue(all.getString("[0].explanation.layer").contains("nginx at the origin"), name);
        }
        // The restart really lasted 20 s / 45 s (give or take the back end's stop and start): the bounds hold it.
        int[] blip20 = duration(owner, monitors.get("restart20"));
        int[] blip45 = duration(owner, monitors.get("restart45"));
        assertTrue(blip20[0] <= 23 && blip20[1] >= 18, "20 s restart measured as " + blip20[0] + "–" + blip20[1] + " s");
        assertTrue(blip45[0] <= 48 && blip45[1] >= 43, "45 s restart measured as " + blip45[0] + "–" + blip45[1] + " s");

        // Down for 100 s: an outage confirmed within the window + 15 s of the stop, then recovered.
        JsonPath down = incidents(owner, monitors.get("down"));
        assertEquals(1, down.getList("").size(), down.prettify());
        assertEquals("outage", down.getString("[0].kind"));
        Instant confirmed = Instant.parse(down.getString("[0].confirmedAt"));
        long toAlert = Duration.between(t, confirmed).toSeconds();
        assertTrue(toAlert <= 75, "outage confirmed " + toAlert + " s after the back end stopped");
        // nginx's 502 page hides why: the explanation says so, and names the log that tells.
        assertTrue(down.getString("[0].explanation.cause").contains("502 page does not say why"), down.getString("[0].explanation.cause"));
        assertTrue(down.getString("[0].explanation.firstStep").contains("error log"), down.getString("[0].explanation.firstStep"));
        System.out.printf("e2e: blips %d–%d s and %d–%d s, outage confirmed %d s after the stop%n", blip20[0], blip20[1], blip45[0],
                blip45[1], toAlert);
        assertFastConfirmation(monitors.get("restart45"), t);

        // The resolver pointing at the dead node: a partial outage naming the resolver and the address.
        JsonPath partial = incidents(owner, monitors.get("partial"));
        assertEquals("partial", partial.getString("[0].kind"), partial.prettify());
        assertEquals("resolver", partial.getString("[0].extent"));
        assertEquals(List.of(resolverB.spec()), partial.getList("[0].scope.resolvers"));
        assertEquals(List.of(DEAD), partial.getList("[0].scope.addresses.'" + resolverB.spec() + "'"));
        assertTrue(partial.getString("[0].explanation.cause").contains(DEAD));

        // Garbage from the back end (nginx passes an HTTP/0.9-style answer through): malformed response.
        JsonPath garbage = incidents(owner, monitors.get("garbage"));
        assertEquals("outage", garbage.getString("[0].kind"), garbage.prettify());
        assertTrue(garbage.getList("[0].evidence.errorClasses").contains("malformed_response"));
        assertTrue(garbage.getString("[0].explanation.cause").contains("not HTTP"));

        // 2.5 s answers against a 1 s limit: degraded, not down.
        JsonPath slow = incidents(owner, monitors.get("slow"));
        assertEquals("degraded", slow.getString("[0].kind"), slow.prettify());
        assertEquals("open", slow.getString("[0].status"));
        assertTrue(slow.getInt("[0].evidence.slowestMs") >= 2500);

        // 8 s answers behind nginx's 3 s read timeout: 504, an overload outage.
        JsonPath overload = incidents(owner, monitors.get("overload"));
        assertEquals("outage", overload.getString("[0].kind"), overload.prettify());
        assertTrue(overload.getList("[0].evidence.statuses").contains(504));
        assertTrue(overload.getString("[0].explanation.cause").contains("overloaded"));
    }

    /** While the 45 s restart was suspected, its checks came every 5 s instead of every 10 s. */
    private void assertFastConfirmation(long monitor, Instant t) throws Exception {
        List<Instant> starts = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select distinct started_at from check_result where monitor_id = ? and started_at between ? and ? order by 1")) {
            ps.setLong(1, monitor);
            ps.setTimestamp(2, Timestamp.from(t.plusSeconds(15)));
            ps.setTimestamp(3, Timestamp.from(t.plusSeconds(45)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    starts.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        for (int i = 1; i < starts.size(); i++) {
            long gap = Duration.between(starts.get(i - 1), starts.get(i)).toMillis();
            assertTrue(gap <= 6500, "checks " + gap + " ms apart while suspected: " + starts);
        }
        assertTrue(starts.size() >= 5, "checks while suspected: " + starts);
    }

    /** The episode's duration from its first failing check, and from the last passing check before it. */
    private int[] duration(TestOwner owner, long monitor) {
        JsonPath p = incidents(owner, monitor);
        return new int[] {p.getInt("[0].minDurationSeconds"), p.getInt("[0].maxDurationSeconds")};
    }

    private JsonPath incidents(TestOwner owner, long monitor) {
        return owner.api().get("/api/v1/monitors/" + monitor + "/incidents").then().statusCode(200).extract().jsonPath();
    }

    private String status(long monitor) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select coalesce((select status from incident where monitor_id = ? order by id desc limit 1), 'none')")) {
            ps.setLong(1, monitor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, long monitor) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, monitor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
