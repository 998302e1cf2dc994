package dev.gatewatch.check;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.DnsResponder;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.TargetServers;
import dev.gatewatch.support.TestCertificates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;

/**
 * The whole checker path in the running app: a monitor registered through the API is scheduled, checked through two
 * loopback DNS responders that disagree, and its results, latest results, rollups and the region show up in the API.
 */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(CheckerProfile.class)
class CheckPipelineTest {

    static Vertx vertx;
    static TargetServers targets;
    static DnsResponder good;
    static DnsResponder stale;

    @BeforeAll
    static void peers() {
        vertx = Vertx.vertx();
        targets = TargetServers.start(vertx, "127.0.0.1");
        good = DnsResponder.start("127.0.0.1").answer(TestCertificates.SITE, "127.0.0.1");
        stale = DnsResponder.start("127.0.0.2").answer(TestCertificates.SITE, "127.0.0.2"); // a dead node
    }

    @AfterAll
    static void stop() {
        targets.close();
        good.close();
        stale.close();
        vertx.close();
    }

    @Test
    void resultsShowWhichResolverSentTheCheckWhere() {
        var owner = Owners.create();
        String url = "https://" + TestCertificates.SITE + ":" + targets.httpsPort(TestCertificates.Kind.VALID) + "/ok";
        // 2 s, not 1: the JVM's first TLS handshake (cold JSSE) can take over a second on a loaded 2-core machine
        long id = owner.api().body(Map.of("name", "site", "url", url, "intervalSeconds", 2, "timeoutMs", 2000,
                "resolvers", List.of(good.spec(), stale.spec()))).post("/api/v1/monitors").then().statusCode(201)
                .extract().jsonPath().getLong("id");

        JsonPath results = awaitResults(owner, id, r -> r.getList("findAll { it.resolver == '" + good.spec() + "' }").size() >= 4
                && r.getList("findAll { it.resolver == '" + stale.spec() + "' }").size() >= 4);
        // the newest three through each: the very first check can meet the JVM's cold TLS (≈2 s on a loaded 2-core machine)
        List<Map<String, Object>> viaGood = newest(results.getList("findAll { it.resolver == '" + good.spec() + "' }"), 3);
        List<Map<String, Object>> viaStale = newest(results.getList("findAll { it.resolver == '" + stale.spec() + "' }"), 3);
        for (Map<String, Object> r : viaGood) {
            assertEquals(true, r.get("ok"), r.toString());
            assertEquals(200, r.get("status"));
            assertEquals("127.0.0.1", r.get("resolvedIp"));
            assertEquals("test", r.get("region"));
            assertNotNull(r.get("tlsExpiresAt"));
            assertNotNull(((Map<?, ?>) r.get("timings")).get("tlsMs"));
        }
        for (Map<String, Object> r : viaStale) {
            assertEquals(false, r.get("ok"), r.toString());
            assertEquals("connect_refused", r.get("errorClass"));
            assertEquals("127.0.0.2", r.get("resolvedIp"));
        }
        // one slot, one result per resolver; consecutive slots exactly one interval apart (no gaps)
        List<Instant> dues = viaGood.stream().map(r -> Instant.parse((String) r.get("dueAt"))).sorted().toList();
        assertEquals(dues.size(), dues.stream().distinct().count(), "duplicate slots: " + dues);
        for (int i = 2; i < dues.size(); i++) {
            assertEquals(2000, Duration.between(dues.get(i - 1), dues.get(i)).toMillis(), "slots " + dues);
        }

        owner.api().get("/api/v1/monitors/" + id + "/results/latest").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.resolver == '" + good.spec() + "' }.ok", equalTo(true))
                .body("find { it.resolver == '" + stale.spec() + "' }.errorClass", equalTo("connect_refused"));
        JsonPath rollups = owner.api().queryParam("granularity", "minute").get("/api/v1/monitors/" + id + "/rollups")
                .then().statusCode(200).extract().jsonPath();
        int goodChecks = rollups.getInt("findAll { it.resolver == '" + good.spec() + "' }.checks.sum()");
        int staleFailures = rollups.getInt("findAll { it.resolver == '" + stale.spec() + "' }.failures.sum()");
        assertTrue(goodChecks >= 3 && staleFailures >= 3, rollups.prettify());
        assertEquals(0, rollups.getInt("findAll { it.resolver == '" + good.spec() + "' }.failures.sum()"));
        assertNotNull(rollups.get("find { it.resolver == '" + good.spec() + "' }.p95Ms"));
        owner.api().queryParam("granularity", "hour").get("/api/v1/monitors/" + id + "/rollups").then().statusCode(200)
                .body("size()", equalTo(2));

        owner.api().get("/api/v1/regions").then().statusCode(200)
                .body("find { it.region == 'test' }.live", equalTo(true))
                .body("find { it.region == 'test' }.liveNodes", equalTo(1));
    }

    /**
     * A target that never answers, with the timeout as long as the interval: every check runs until a second before its
     * next slot, and the next still takes its own slot (it used to lose it: checked only every other interval).
     */
    @Test
    void checksThatTimeOutKeepTheirCadence() {
        var owner = Owners.create();
        long id = owner.api().body(Map.of("name", "tarpit", "url", "http://127.0.0.1:" + targets.silentPort() + "/",
                "intervalSeconds", 2, "timeoutMs", 2000, "resolvers", List.of("system")))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath r = awaitResults(owner, id, x -> x.getList("$").size() >= 6);
        List<Instant> dues = r.getList("dueAt", String.class).stream().map(Instant::parse).sorted().toList();
        assertTrue(r.getList("errorClass", String.class).stream().allMatch("read_timeout"::equals), r.prettify());
        // The first check runs at registration, off its phase; from the second on, every slot.
        for (int i = 2; i < dues.size(); i++) {
            assertEquals(2000, Duration.between(dues.get(i - 1), dues.get(i)).toMillis(), "one check per slot: " + dues);
        }
    }

    @Test
    void pauseAndChangesTakeEffectAtTheNextSlot() throws InterruptedException {
        var owner = Owners.create();
        Map<String, Object> monitor = Map.of("name", "pausing", "url", "http://127.0.0.1:" + targets.httpPort() + "/ok",
                "intervalSeconds", 1, "timeoutMs", 1000, "resolvers", List.of("system"));
        long id = owner.api().body(monitor).post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
        awaitResults(owner, id, r -> r.getList("$").size() >= 2);

        owner.api().post("/api/v1/monitors/" + id + "/pause").then().statusCode(200);
        Thread.sleep(1500); // a check already under way may still land
        int paused = results(owner, id).getList("$").size();
        Thread.sleep(2500);
        assertEquals(paused, results(owner, id).getList("$").size(), "checked while paused");

        owner.api().post("/api/v1/monitors/" + id + "/resume").then().statusCode(200);
        var slower = new java.util.HashMap<>(monitor);
        slower.put("intervalSeconds", 2);
        slower.put("timeoutMs", 1500);
        owner.api().body(slower).put("/api/v1/monitors/" + id).then().statusCode(200);
        // slots already claimed (up to the lookahead) keep the old interval; the ones after use the new one
        Instant settled = Instant.now().plusMillis(2500);
        Predicate<Instant> later = due -> due.isAfter(settled);
        JsonPath after = awaitResults(owner, id, r -> r.getList("dueAt", String.class).stream().map(Instant::parse).filter(later).count() >= 3);
        List<Instant> dues = after.getList("dueAt", String.class).stream().map(Instant::parse).filter(later).sorted().toList();
        for (int i = 1; i < dues.size(); i++) {
            assertEquals(2000, Duration.between(dues.get(i - 1), dues.get(i)).toMillis(), "slots after the change: " + dues);
        }
    }

    @Test
    void badRangesAreProblems() {
        var owner = Owners.create();
        long id = owner.api().body(Map.of("name", "n", "url", "http://127.0.0.1:" + targets.httpPort() + "/ok", "resolvers", List.of("system")))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
        owner.api().queryParam("since", "yesterday").get("/api/v1/monitors/" + id + "/results").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("since"));
        owner.api().queryParam("limit", "0").get("/api/v1/monitors/" + id + "/results").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        owner.api().queryParam("granularity", "week").get("/api/v1/monitors/" + id + "/rollups").then().statusCode(400)
                .body("errors[0].field", equalTo("granularity"));
        owner.api().queryParam("since", "2020-01-01T00:00:00Z").get("/api/v1/monitors/" + id + "/results").then().statusCode(400)
                .body("errors[0].message", equalTo("the range may span at most 31 days"));
    }

    static JsonPath results(Owners.TestOwner owner, long id) {
        return owner.api().queryParam("limit", 1000).get("/api/v1/monitors/" + id + "/results").then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitResults(Owners.TestOwner owner, long id, Predicate<JsonPath> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath last = results(owner, id);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("results never arrived: " + last.prettify());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            last = results(owner, id);
        }
        return last;
    }

    private static List<Map<String, Object>> newest(List<Map<String, Object>> results, int n) {
        return results.stream().sorted(java.util.Comparator.comparing((Map<String, Object> r) -> Instant.parse((String) r.get("startedAt"))).reversed())
                .limit(n).toList();
    }
}
