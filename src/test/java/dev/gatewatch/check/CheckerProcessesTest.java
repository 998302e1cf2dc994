package dev.gatewatch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.DatabaseLogin;
import dev.gatewatch.support.JavaProcess;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.TargetServers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/** Checkers as processes of their own, killed with SIGKILL and stopped with SIGTERM under load. */
@Tag("slow") // real faults, processes or a long sweep: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(CheckerProfile.class)
class CheckerProcessesTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DatabaseLogin db;

    /**
     * Two checker processes of one region; one is killed with SIGKILL at whatever point of its twelve monitors' phases
     * (spread over the interval). With the lease shorter than the interval, as by default (8 s against the shortest
     * interval, 10 s), each monitor is checked again within two intervals, and no slot twice.
     */
    @Test
    void aKilledCheckersMonitorsAreCheckedAgainWithinTwoIntervals() throws Exception {
        int interval = 4;
        long leaseMs = 3000;
        String region = "kill9";
        var owner = Owners.create();
        Vertx vertx = Vertx.vertx();
        List<Long> ids = new ArrayList<>();
        try (TargetServers targets = TargetServers.start(vertx, "127.0.0.1")) {
            for (int i = 0; i < 12; i++) {
                ids.add(monitor(owner, "k" + i, "http://127.0.0.1:" + targets.httpPort() + "/ok", interval, region));
            }
            JavaProcess a = checker(region, "kill9-a", leaseMs);
            JavaProcess b = checker(region, "kill9-b", leaseMs);
            a.awaitLine("ready");
            b.awaitLine("ready");
            Thread.sleep(2 * interval * 1000L + 1500);
            a.kill();
            Thread.sleep(4 * interval * 1000L);
            b.terminate();
            b.awaitLine("stopped");
            b.awaitExit();
        } finally {
            vertx.close();
        }
        Map<Long, List<Instant>> starts = new HashMap<>();
        Map<Long, List<Instant>> dues = new HashMap<>();
        Map<String, Integer> byNode = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select monitor_id, started_at, due_at, checker_id from check_result_full where region = ? and monitor_id = any(?) order by started_at")) {
            ps.setString(1, region);
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    starts.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getObject(2, OffsetDateTime.class).toInstant());
                    dues.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getObject(3, OffsetDateTime.class).toInstant());
                    byNode.merge(rs.getString(4), 1, Integer::sum);
                }
            }
        }
        assertEquals(ids.size(), starts.size());
        assertTrue(byNode.getOrDefault("kill9-a", 0) > 0 && byNode.getOrDefault("kill9-b", 0) > 0, "both checked: " + byNode);
        long worst = 0;
        for (long id : ids) {
            List<Instant> s = starts.get(id);
            assertEquals(s.size(), dues.get(id).stream().distinct().count(), "monitor " + id + " checked twice: " + dues.get(id));
            for (int i = 1; i < s.size(); i++) {
                long gap = Duration.between(s.get(i - 1), s.get(i)).toMillis();
                assertTrue(gap <= 2 * interval * 1000L, "monitor " + id + " waited " + gap + " ms: " + s);
                worst = Math.max(worst, gap);
            }
        }
        System.out.printf("takeover after SIGKILL: longest gap between two checks of a monitor %d ms (interval %d s, lease %d ms)%n",
                worst, interval, leaseMs);
    }

    /** SIGTERM to a checker process under load: every check a target answered is stored. */
    @Test
    void sigtermUnderLoadLosesNoResults() throws Exception {
        String region = "sigterm";
        var owner = Owners.create();
        Vertx vertx = Vertx.vertx();
        List<Long> ids = new ArrayList<>();
        int answered;
        String stopped;
        try (TargetServers targets = TargetServers.start(vertx, "127.0.0.1")) {
            for (int i = 0; i < 40; i++) {
                ids.add(monitor(owner, "t" + i, "http://127.0.0.1:" + targets.httpPort() + "/ok", 1, region));
            }
            JavaProcess checker = checker(region, "sigterm-1", 8000);
            checker.awaitLine("ready");
            Thread.sleep(6000);
            checker.terminate();
            stopped = checker.awaitLine("stopped");
            checker.awaitExit();
            answered = targets.hits("/ok");
        } finally {
            vertx.close();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from check_result_full where region = ? and monitor_id = any(?)")) {
            ps.setString(1, region);
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertTrue(answered > 150, "under load: " + answered);
                assertEquals(answered, rs.getLong(1), "every check the target answered is stored (" + stopped + ")");
            }
        }
    }

    JavaProcess checker(String region, String node, long leaseMs) throws Exception {
        return JavaProcess.start(CheckerProcess.class, db.url(), db.user(), db.password(), region, node, Long.toString(leaseMs));
    }

    static long monitor(Owners.TestOwner owner, String name, String url, int interval, String region) {
        return owner.api().body(Map.of("name", name, "url", url, "intervalSeconds", interval, "timeoutMs", 1000,
                "regions", List.of(region), "resolvers", List.of("system")))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
    }
}
