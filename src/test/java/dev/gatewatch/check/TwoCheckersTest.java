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

import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.check.schedule.CheckerEngine;
import dev.gatewatch.check.schedule.NodeRegistry;
import dev.gatewatch.check.schedule.ScheduleStore;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.target.TargetGuard;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.TargetServers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * Two checker engines of one region against one database, each with its own writer and connections: every slot is
 * checked exactly once while both run, and when one dies without a word its work is taken over after the lease.
 */
@Tag("slow") // real faults, processes or a long sweep: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(CheckerProfile.class)
class TwoCheckersTest {

    static final String REGION = "pair";
    static final Duration LEASE = Duration.ofSeconds(3);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Vertx vertx;
    @Inject
    TargetGuard guard;

    CheckerEngine engine(String name, Probe probe, ResultWriter writer) {
        // Claiming 300 ms ahead with a 100 ms poll (not a whole interval ahead) keeps one engine from taking every slot
        // in a single poll when its thread happens to run first on a loaded machine.
        return new CheckerEngine(new CheckerEngine.Settings(name, REGION, "test-host", "test", 500, Duration.ofMillis(100),
                Duration.ofMillis(300), 200, LEASE, Duration.ofSeconds(1), 0.25), new ScheduleStore(dataSource),
                new NodeRegistry(dataSource), probe, writer, vertx, lag -> { }, r -> { });
    }

    @Test
    void twoEnginesSplitTheWorkWithNoDuplicatesAndNoGaps() throws Exception {
        var owner = Owners.create();
        Vertx targetsVertx = Vertx.vertx();
        try (TargetServers targets = TargetServers.start(targetsVertx, "127.0.0.1");
                Probe probe = new Probe(vertx, new Probe.Settings(65536, 2048, "test", List.of(), 4, 2, java.time.Duration.ofSeconds(2)), guard)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add(owner.api().body(Map.of("name", "m" + i, "url", "http://127.0.0.1:" + targets.httpPort() + "/ok",
                        "intervalSeconds", 1, "timeoutMs", 1000, "regions", List.of(REGION), "resolvers", List.of("system")))
                        .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id"));
            }
            ResultWriter writerA = writer();
            ResultWriter writerB = writer();
            CheckerEngine a = engine("engine-a", probe, writerA);
            CheckerEngine b = engine("engine-b", probe, writerB);
            a.start();
            b.start();
            Thread.sleep(6000);
            Instant halted = Instant.now();
            a.halt(); // like kill -9: its claimed slots stay leased
            writerA.close();
            Thread.sleep(7000);
            b.stop(Duration.ofSeconds(5));
            writerB.close();

            Map<Long, List<Instant>> dues = new HashMap<>();
            Map<String, Integer> byEngine = new HashMap<>();
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "select monitor_id, due_at, checker_id from check_result_full where region = ? and monitor_id = any(?) order by due_at")) {
                ps.setString(1, REGION);
                ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant due = rs.getObject(2, OffsetDateTime.class).toInstant();
                        dues.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(due);
                        if (due.isBefore(halted.minusSeconds(1))) {
                            byEngine.merge(rs.getString(3), 1, Integer::sum);
                        }
                    }
                }
            }
            assertEquals(ids.size(), dues.size(), "every monitor was checked");
            int total = byEngine.values().stream().mapToInt(Integer::intValue).sum();
            assertTrue(byEngine.getOrDefault("engine-a", 0) > total / 5 && byEngine.getOrDefault("engine-b", 0) > total / 5,
                    "both engines took a share: " + byEngine);
            for (var e : dues.entrySet()) {
                List<Instant> slots = e.getValue();
                assertEquals(slots.size(), slots.stream().distinct().count(), "monitor " + e.getKey() + " checked twice: " + slots);
                for (int i = 2; i < slots.size(); i++) {
                    long gap = Duration.between(slots.get(i - 1), slots.get(i)).toMillis();
                    if (slots.get(i).isBefore(halted.minusSeconds(1))) {
                        assertEquals(1000, gap, "monitor " + e.getKey() + " missed a slot while both engines ran: " + slots);
                    } else {
                        assertTrue(gap <= LEASE.toMillis() + 2000, "monitor " + e.getKey() + " was not taken over: " + slots);
                    }
                }
                assertTrue(slots.get(slots.size() - 1).isAfter(halted.plus(LEASE).plusSeconds(1)),
                        "monitor " + e.getKey() + " still checked after the takeover: " + slots);
            }
        } finally {
            targetsVertx.close();
        }
    }

    ResultWriter writer() {
        return new ResultWriter(dataSource, new ResultWriter.Settings(500, Duration.ofMillis(100), 10_000), () -> { });
    }
}
