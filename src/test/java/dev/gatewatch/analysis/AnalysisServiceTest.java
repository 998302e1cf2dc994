package dev.gatewatch.analysis;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.analysis.service.AnalysisService;
import dev.gatewatch.api.Sql;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.Timings;
import dev.gatewatch.check.cdn.EdgeInfo;
import dev.gatewatch.check.cdn.ErrorSource;
import dev.gatewatch.check.store.ResultWriter;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The analyzer against the real database: results written by the real result writer, state and incidents stored,
 * fast confirmation switched on the schedule, restarts and concurrent analyzers, and the incident and deployment APIs.
 * Results carry past timestamps, so minutes of history are written in an instant; the analyzer judges by them.
 */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(AnalysisServiceTest.Profile.class)
class AnalysisServiceTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The scheduled tick stays out of the way; the tests tick by hand.
            return Map.of("gatewatch.roles", "api,analyzer", "gatewatch.analyzer.interval", "1h");
        }
    }

    private static final String REGION = "analysis-test";
    private static final EdgeInfo NGINX_502 = new EdgeInfo(null, null, null, "nginx", ErrorSource.ORIGIN, "nginx");

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AnalysisService analysis;
    @Inject
    GatewatchConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry metrics;

    private ResultWriter writer;
    private TestOwner owner;

    @BeforeEach
    void setUp() throws Exception {
        writer = new ResultWriter(dataSource, new ResultWriter.Settings(500, Duration.ofMillis(20), 10_000), () -> { });
        owner = Owners.create();
        Sql.update(dataSource, "insert into checker_node (id, region, host, version, started_at, last_seen_at) values (?, ?, 'h', 'v', now(), now() + interval '1 hour')"
                + " on conflict (id) do update set last_seen_at = now() + interval '1 hour'", "node-" + REGION, REGION);
    }

    @AfterEach
    void tearDown() {
        writer.close();
    }

    @Test
    void aRestartBlipIsRecordedAsAnEpisodeWithoutAnIncident() throws Exception {
        long m = monitor("{\"name\":\"blip\",\"url\":\"http://127.0.0.1:9/blip\",\"intervalSeconds\":30}");
        Instant t0 = Instant.now().minusSeconds(75).truncatedTo(ChronoUnit.SECONDS);
        write(m, t0, true, "system");
        write(m, t0.plusSeconds(50), false, "system");
        long ticks = metrics.get("gatewatch.analyzer.tick").timer().count();
        analysis.tick();
        assertEquals(ticks + 1, metrics.get("gatewatch.analyzer.tick").timer().count(), "ticks are timed");
        assertTrue(metrics.get("gatewatch.analyzer.lag").timer().max(java.util.concurrent.TimeUnit.SECONDS) >= 55,
                "the lag runs from the end of the oldest check not judged before (about 75 s ago)");
        assertTrue(metrics.get("gatewatch.analyzer.monitors").counter().count() >= 1);
        Map<String, Object> suspected = incident(m);
        assertEquals("suspected", suspected.get("status"));
        assertEquals("suspect", suspected.get("kind"));
        assertNotNull(single("select fast_until from check_schedule where monitor_id = ?", m), "fast confirmation is on");

        write(m, t0.plusSeconds(54), false, "system");
        // Two passes over 10 s: two a second apart could both fall into a short up between two downs.
        write(m, t0.plusSeconds(58), true, "system");
        write(m, t0.plusSeconds(68), true, "system");
        analysis.tick();
        Map<String, Object> blip = incident(m);
        assertEquals("resolved", blip.get("status"));
        assertEquals("deploy_blip", blip.get("kind"));
        assertNull(blip.get("confirmed_at"), "a blip is never confirmed");
        assertEquals(8L, ((Number) single("select extract(epoch from resolved_at - started_at)::bigint from incident where monitor_id = ?", m)).longValue());
        assertNull(single("select fast_until from check_schedule where monitor_id = ?", m), "back to the normal interval");
        assertEquals(List.of("suspected", "cleared"), events(m));

        owner.api().get("/api/v1/monitors/" + m + "/incidents").then().statusCode(200)
                .body("", hasSize(1)).body("[0].kind", equalTo("deploy_blip")).body("[0].durationSeconds", equalTo(8))
                .body("[0].evidence.statuses", hasItem(502)).body("[0].evidence.layers.'origin:nginx'", equalTo(2))
                .body("[0].explanation.summary", containsString("Deploy blip of 4–58 s"))
                .body("[0].lastPassAt", equalTo(t0.toString())).body("[0].minDurationSeconds", equalTo(4))
                .body("[0].maxDurationSeconds", equalTo(58))
                .body("[0].explanation.layer", containsString("nginx at the origin answered 502"));
    }

    @Test
    void anOutageSurvivesARestartOfTheAnalyzerAndRecoversOnce() throws Exception {
        long m = monitor("{\"name\":\"down\",\"url\":\"http://127.0.0.1:9/down\",\"intervalSeconds\":30,"
                + "\"alertPolicy\":{\"confirmationWindowSeconds\":30,\"successThreshold\":2}}");
        Instant t0 = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        write(m, t0, true, "system");
        for (int s = 10; s <= 60; s += 10) {
            write(m, t0.plusSeconds(s), false, "system");
        }
        analysis.tick();
        Map<String, Object> open = incident(m);
        assertEquals("open", open.get("status"));
        assertEquals("outage", open.get("kind"));
        assertEquals("whole", open.get("extent"));

        // A new analyzer instance knows only what is in the database.
        AnalysisService restarted = new AnalysisService(dataSource, config, json, new SimpleMeterRegistry());
        write(m, t0.plusSeconds(70), true, "system");
        restarted.tick();
        assertEquals("open", incident(m).get("status"), "one good check does not close an outage");
        write(m, t0.plusSeconds(80), true, "system");
        restarted.tick();
        restarted.tick();
        Map<String, Object> resolved = incident(m);
        assertEquals("resolved", resolved.get("status"));
        assertEquals(60L, ((Number) single("select extract(epoch from resolved_at - started_at)::bigint from incident where monitor_id = ?", m)).longValue());
        assertEquals(1L, ((Number) single("select count(*) from incident where monitor_id = ?", m)).longValue());
        assertEquals(List.of("suspected", "opened", "recovered"), events(m));
    }

    @Test
    void anUnresolvedIncidentTheStateDoesNotKnowIsTakenOverNotDuplicated() throws Exception {
        long m = monitor("{\"name\":\"orphan\",\"url\":\"http://127.0.0.1:9/orphan\",\"intervalSeconds\":30}");
        // As if the analysis state had been lost while an incident was open.
        Sql.update(dataSource, """
                insert into incident (monitor_id, owner_id, track, kind, status, started_at, confirmed_at, extent, summary, scope, evidence, explanation)
                select id, owner_id, 'availability', 'outage', 'open', now() - interval '1 hour', now() - interval '59 minutes', 'whole',
                       'old', '{}', '{}', '{}' from monitor where id = ?
                """, m);
        Instant t0 = Instant.now().minusSeconds(100).truncatedTo(ChronoUnit.SECONDS);
        for (int s = 0; s <= 80; s += 10) {
            write(m, t0.plusSeconds(s), false, "system");
        }
        analysis.tick();
        assertEquals(1L, ((Number) single("select count(*) from incident where monitor_id = ?", m)).longValue());
        Map<String, Object> taken = incident(m);
        assertEquals("open", taken.get("status"));
        assertNotNull(taken.get("confirmed_at"));
        assertTrue(((String) taken.get("summary")).startsWith("Outage"), "now carries the analyzer's verdict");
    }

    @Test
    void concurrentAnalyzersActOnceForEachMonitor() throws Exception {
        List<Long> monitors = new ArrayList<>();
        Instant t0 = Instant.now().minusSeconds(150).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 12; i++) {
            long m = monitor("{\"name\":\"c" + i + "\",\"url\":\"http://127.0.0.1:9/c" + i + "\",\"intervalSeconds\":30}");
            monitors.add(m);
            for (int s = 0; s <= 90; s += 10) {
                write(m, t0.plusSeconds(s), false, "system");
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<Integer>> analyzers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                AnalysisService a = new AnalysisService(dataSource, config, json, new SimpleMeterRegistry());
                analyzers.add(() -> {
                    int n = 0;
                    for (int k = 0; k < 5; k++) {
                        n += a.tick();
                    }
                    return n;
                });
            }
            for (Future<Integer> f : pool.invokeAll(analyzers)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (long m : monitors) {
            assertEquals(1L, ((Number) single("select count(*) from incident where monitor_id = ?", m)).longValue(), "monitor " + m);
            assertEquals(List.of("suspected", "opened"), events(m), "monitor " + m);
        }
    }

    @Test
    void oneResolverPointingAtADeadNodeIsAPartialOutageNamingIt() throws Exception {
        long m = monitor("{\"name\":\"dns\",\"url\":\"http://127.0.0.1:9/dns\",\"intervalSeconds\":30,"
                + "\"resolvers\":[\"127.0.0.1:5301\",\"127.0.0.1:5302\"]}");
        Instant t0 = Instant.now().minusSeconds(150).truncatedTo(ChronoUnit.SECONDS);
        for (int s = 0; s <= 100; s += 10) {
            write(m, t0.plusSeconds(s), true, "127.0.0.1:5301", "127.0.0.2");
            write(m, t0.plusSeconds(s), s == 0, "127.0.0.1:5302", "127.0.0.3");
        }
        analysis.tick();
        owner.api().get("/api/v1/monitors/" + m + "/incidents?status=open").then().statusCode(200)
                .body("", hasSize(1)).body("[0].kind", equalTo("partial")).body("[0].extent", equalTo("resolver"))
                .body("[0].scope.resolvers", equalTo(List.of("127.0.0.1:5302")))
                .body("[0].scope.addresses.'127.0.0.1:5302'", equalTo(List.of("127.0.0.3")))
                .body("[0].explanation.cause", containsString("127.0.0.3"))
                .body("[0].explanation.firstStep", containsString("dig @127.0.0.1:5302"));
    }

    @Test
    void failuresInsideADeploymentMarkerAreADeployEvenPastTheWindow() throws Exception {
        long m = monitor("{\"name\":\"marked\",\"url\":\"http://127.0.0.1:9/marked\",\"intervalSeconds\":30}");
        Instant t0 = Instant.now().minusSeconds(200).truncatedTo(ChronoUnit.SECONDS);
        long d = ((Number) owner.api().body("{\"startedAt\":\"" + t0 + "\",\"expectedDurationSeconds\":180,\"version\":\"v42\"}")
                .post("/api/v1/monitors/" + m + "/deployments").then().statusCode(201)
                .body("monitorIds", equalTo(List.of((int) m))).body("version", equalTo("v42"))
                .body("coversUntil", equalTo(t0.plusSeconds(180).toString()))
                .extract().path("id")).longValue();
        write(m, t0, true, "system");
        for (int s = 10; s <= 130; s += 10) {
            write(m, t0.plusSeconds(s), false, "system");
        }
        write(m, t0.plusSeconds(140), true, "system");
        write(m, t0.plusSeconds(150), true, "system");
        analysis.tick();
        Map<String, Object> i = incident(m);
        assertEquals("deploy_blip", i.get("kind"), "130 s of failures, but inside the marker");
        assertEquals(d, ((Number) i.get("deployment_id")).longValue());
        owner.api().post("/api/v1/deployments/" + d + "/end").then().statusCode(200).body("endedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aStateTheDatabaseRefusesSetsAsideThatMonitorAloneAndTheBatchIsStored() throws Exception {
        // Healthy monitors are stored together in one statement: one refused row must not cost the others theirs.
        long a = monitor("{\"name\":\"quiet-a\",\"url\":\"http://127.0.0.1:9/a\",\"intervalSeconds\":30}");
        long poisoned = monitor("{\"name\":\"quiet-poisoned\",\"url\":\"http://127.0.0.1:9/p\",\"intervalSeconds\":30}");
        long b = monitor("{\"name\":\"quiet-b\",\"url\":\"http://127.0.0.1:9/b\",\"intervalSeconds\":30}");
        Instant t0 = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        for (long m : List.of(a, poisoned, b)) {
            write(m, t0, true, "system");
        }
        double setAsideBefore = metrics.get("gatewatch.analyzer.set.aside").counter().count();
        Sql.update(dataSource, "alter table analysis_state add constraint refuses_one check (monitor_id <> " + poisoned + " or state is null)");
        try {
            analysis.tick();
        } finally {
            Sql.update(dataSource, "alter table analysis_state drop constraint refuses_one");
        }
        for (long m : List.of(a, b)) {
            assertNotNull(single("select state from analysis_state where monitor_id = ?", m), "monitor " + m + " stored");
        }
        assertNull(single("select state from analysis_state where monitor_id = ?", poisoned), "the refused state is not stored");
        assertEquals(single("select max(result_id) from check_latest where monitor_id = ?", poisoned),
                single("select last_result_id from analysis_state where monitor_id = ?", poisoned), "set aside: its results count as seen");
        assertEquals(setAsideBefore + 1, metrics.get("gatewatch.analyzer.set.aside").counter().count());

        write(poisoned, t0.plusSeconds(10), true, "system");
        analysis.tick();
        assertNotNull(single("select state from analysis_state where monitor_id = ?", poisoned), "judged again with newer results");
    }

    @Test
    void deploymentAndIncidentInputIsValidated() {
        long m = monitor("{\"name\":\"v\",\"url\":\"http://127.0.0.1:9/v\"}");
        owner.api().body("{\"startedAt\":\"yesterday\",\"expectedDurationSeconds\":0,\"version\":\"" + "x".repeat(201) + "\"}")
                .post("/api/v1/monitors/" + m + "/deployments").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("startedAt")).body("errors.field", hasItem("expectedDurationSeconds"))
                .body("errors.field", hasItem("version"));
        owner.api().body("{\"startedAt\":\"2020-01-01T00:00:00Z\"}").post("/api/v1/deployments").then().statusCode(400)
                .body("errors.field", hasItem("startedAt"));
        owner.api().body("{\"monitorIds\":[" + m + ", 999999999]}").post("/api/v1/deployments").then().statusCode(400)
                .body("errors[0].message", containsString("999999999"));
        owner.api().body("{\"monitorIds\":[" + m + "]}").post("/api/v1/monitors/" + m + "/deployments").then().statusCode(400)
                .body("errors.field", hasItem("monitorIds"));
        // Nothing was stored by the refused requests; the per-owner form covers every monitor by default.
        owner.api().get("/api/v1/deployments").then().statusCode(200).body("", hasSize(0));
        owner.api().body("{\"description\":\"release 7\"}").post("/api/v1/deployments").then().statusCode(201)
                .body("monitorIds", equalTo(List.of((int) m))).body("description", equalTo("release 7"));
        owner.api().get("/api/v1/monitors/" + m + "/deployments").then().statusCode(200).body("", hasSize(1));

        owner.api().get("/api/v1/incidents?kind=meltdown&status=closed&limit=0").then().statusCode(400)
                .body("errors.field", equalTo(List.of("kind", "status", "limit")));
        owner.api().get("/api/v1/incidents?since=soon").then().statusCode(400).body("errors[0].field", equalTo("since"));
        owner.api().get("/api/v1/incidents/999999999").then().statusCode(404);
        owner.api().get("/api/v1/incidents?kind=outage,partial&status=open").then().statusCode(200).body("", hasSize(0));
    }

    private long monitor(String body) {
        long id = ((Number) owner.api().body(body).post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        Sql.update(dataSource, "insert into check_schedule (monitor_id, region, next_due_at) values (?, ?, now() + interval '1 hour')", id, REGION);
        return id;
    }

    private void write(long monitor, Instant at, boolean ok, String resolver) {
        write(monitor, at, ok, resolver, "127.0.0.1");
    }

    private void write(long monitor, Instant at, boolean ok, String resolver, String ip) {
        writer.submit(List.of(new CheckResult(monitor, REGION, resolver, "node-" + REGION, at, at, ok, ok ? 200 : 502,
                ok ? null : ErrorClass.ASSERTION_FAILED, null, new Timings(1, 1, null, 5, 1, 8), ip, 0, "http://127.0.0.1/", 2,
                ok ? new EdgeInfo(null, null, null, "nginx", ErrorSource.NONE, null) : NGINX_502, null, null,
                ok ? List.of() : List.of("status 502 is not expected"))), null);
        assertTrue(writer.flush(Duration.ofSeconds(10)));
    }

    private Map<String, Object> incident(long monitor) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select * from incident where monitor_id = ? order by id desc limit 1")) {
            ps.setLong(1, monitor);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "an incident for monitor " + monitor);
                Map<String, Object> row = new java.util.HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                return row;
            }
        }
    }

    private List<String> events(long monitor) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select e.type from incident_event e join incident i on i.id = e.incident_id where i.monitor_id = ? order by e.id")) {
            ps.setLong(1, monitor);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private Object single(String query, Object... params) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

}
