package dev.gatewatch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import dev.gatewatch.support.TargetServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;

/**
 * One tenant's patterns against a megabyte body, next to another tenant's plain monitor on the same checker: the
 * catastrophic-backtracking pattern is accepted (RE2 runs it in linear time) and judged, a pattern too slow for the
 * budget fails on its own, and the other tenant's checks start on time while the API keeps answering.
 */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(CheckerProfile.class)
class PatternIsolationTest {

    static final int MEGABYTE = 1 << 20;
    static Vertx vertx;
    static TargetServers targets;

    @BeforeAll
    static void peers() {
        vertx = Vertx.vertx();
        targets = TargetServers.start(vertx, "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        targets.close();
        vertx.close();
    }

    @Test
    void aTenantsPatternsDoNotDelayAnotherTenantsChecks() {
        var heavy = Owners.create();
        var other = Owners.create();
        String megabyte = "http://127.0.0.1:" + targets.httpPort() + "/big?bytes=" + MEGABYTE + "&fill=a";
        long backtracking = monitor(heavy, "backtracking", megabyte, 5, 5000, List.of(Map.of("type", "not_regex", "value", "(a+)+b")));
        long slow = monitor(heavy, "slow pattern", megabyte, 5, 5000, List.of(Map.of("type", "regex", "value", "a{1000}b")));
        long slowToo = monitor(heavy, "slow pattern too", megabyte, 5, 5000, List.of(Map.of("type", "regex", "value", "a{999}c")));
        long plain = monitor(other, "plain", "http://127.0.0.1:" + targets.httpPort() + "/ok", 1, 1000,
                List.of(Map.of("type", "contains", "value", "ok")));
        try {
            judgedApart(heavy, other, backtracking, slow, slowToo, plain);
        } finally { // the heavy monitors would go on burning CPU under the next test class
            for (long id : List.of(backtracking, slow, slowToo)) {
                heavy.api().delete("/api/v1/monitors/" + id).then().statusCode(204);
            }
            other.api().delete("/api/v1/monitors/" + plain).then().statusCode(204);
        }
    }

    void judgedApart(Owners.TestOwner heavy, Owners.TestOwner other, long backtracking, long slow, long slowToo, long plain) {

        // while the heavy monitors are checked (and judged), the API answers
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long slowestApiMs = 0;
        while (CheckPipelineTest.results(heavy, slow).getList("$").size() < 2 || CheckPipelineTest.results(heavy, slowToo).getList("$").size() < 2
                || CheckPipelineTest.results(heavy, backtracking).getList("$").size() < 2) {
            assertTrue(System.nanoTime() < deadline, "the heavy monitors were never checked");
            long t = System.nanoTime();
            other.api().get("/api/v1/monitors").then().statusCode(200);
            slowestApiMs = Math.max(slowestApiMs, (System.nanoTime() - t) / 1_000_000);
            sleep(200);
        }
        assertTrue(slowestApiMs < 2000, "the API took " + slowestApiMs + " ms while patterns were judged");

        for (Map<String, Object> r : CheckPipelineTest.results(heavy, backtracking).<Map<String, Object>>getList("$")) {
            assertEquals(true, r.get("ok"), "(a+)+b is judged in full on a megabyte: " + r);
            assertEquals(MEGABYTE, r.get("bodyBytes"));
        }
        for (long id : List.of(slow, slowToo)) {
            for (Map<String, Object> r : CheckPipelineTest.results(heavy, id).<Map<String, Object>>getList("$")) {
                assertEquals("assertion_failed", r.get("errorClass"), r.toString());
                assertEquals("the assertions did not finish within their budget of 2000 ms", r.get("errorMessage"));
            }
        }

        JsonPath plainResults = CheckPipelineTest.awaitResults(other, plain, r -> r.getList("$").size() >= 5);
        List<Map<String, Object>> rows = plainResults.getList("$");
        long worstLagMs = 0;
        for (Map<String, Object> r : rows) {
            assertEquals(true, r.get("ok"), r.toString());
            long lag = Duration.between(Instant.parse((String) r.get("dueAt")), Instant.parse((String) r.get("startedAt"))).toMillis();
            worstLagMs = Math.max(worstLagMs, lag);
        }
        assertTrue(worstLagMs < 2000, "the other tenant's checks started up to " + worstLagMs + " ms late: " + rows);
    }

    static long monitor(Owners.TestOwner owner, String name, String url, int interval, int timeout, List<Map<String, String>> body) {
        return owner.api().body(Map.of("name", name, "url", url, "intervalSeconds", interval, "timeoutMs", timeout,
                "resolvers", List.of("system"), "bodyAssertions", body)).post("/api/v1/monitors").then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
