package dev.gatewatch.diagnosis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * "Is it down for everyone?" against the real world on loopback: Debian's nginx in front of back ends that answer,
 * restart or are gone, and two dnsmasq resolvers of which one sends visitors of a name to a dead node. Each case is
 * diagnosed through the API by an owner (and anonymously where that is the point) and the verdict and the advice for
 * each audience are asserted; a region whose checker heartbeats but takes no diagnoses is shown as not answering.
 */
@Tag("e2e") // needs nginx and dnsmasq (src/test/e2e/install-tools.sh): ./mvnw verify
@QuarkusTest
@TestProfile(DiagnosisEndToEndTest.Profile.class)
class DiagnosisEndToEndTest {

    /** The default resolver of every diagnosis: a dnsmasq on a port chosen before the app starts, handed over in a property. */
    static final String DNS_PORT = "diagnosis-e2e.dns-port";
    /** The nginx port, which anonymous diagnoses are allowed besides 80 and 443. */
    static final String WEB_PORT = "diagnosis-e2e.web-port";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String dns = System.getProperty(DNS_PORT, String.valueOf(Ports.freeUdpAndTcpPort("127.0.0.1")));
            String web = System.getProperty(WEB_PORT, String.valueOf(Ports.freeTcpPort("127.0.0.1")));
            System.setProperty(DNS_PORT, dns);
            System.setProperty(WEB_PORT, web);
            Map<String, String> config = new HashMap<>(new CheckerProfile().getConfigOverrides());
            config.put("gatewatch.diagnosis.resolvers", "127.0.0.1:" + dns);
            config.put("gatewatch.diagnosis.anonymous", "true");
            config.put("gatewatch.diagnosis.anonymous-ports", "80,443," + web);
            config.put("gatewatch.diagnosis.check-timeout", "3s");
            config.put("gatewatch.diagnosis.region-deadline", "5s");
            config.put("gatewatch.diagnosis.per-client-per-hour", "4");
            // long enough that a prompt answer shows the notice woke the checker, not its poll
            config.put("gatewatch.diagnosis.poll-interval", "30s");
            return config;
        }
    }

    private static final List<AutoCloseable> CLOSE = new ArrayList<>();
    private static Backend app;
    private static Backend deploying;
    private static Backend slow;
    private static Dnsmasq dns;
    private static Dnsmasq deadNodeDns;
    private static int web;
    private static int nothing;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void world() {
        web = Integer.getInteger(WEB_PORT);
        nothing = Ports.freeTcpPort("127.0.0.1");
        app = closing(Backend.start("127.0.0.1", 0));
        deploying = closing(Backend.start("127.0.0.1", 0));
        slow = closing(Backend.start("127.0.0.1", 0)).slow(Duration.ofMillis(800));
        closing(Nginx.start(List.of(Nginx.Site.of("127.0.0.1", web, "site.test", app.spec()),
                Nginx.Site.of("127.0.0.1", web, "deploy.test", deploying.spec()), Nginx.Site.of("127.0.0.1", web, "slow.test", slow.spec()))));
        dns = closing(Dnsmasq.startOn(Integer.getInteger(DNS_PORT), Map.of("site.test", "127.0.0.1", "deploy.test", "127.0.0.1",
                "slow.test", "127.0.0.1")));
        // the other resolver sends site.test's visitors to 127.0.0.2, where nothing listens: a dead node
        deadNodeDns = closing(Dnsmasq.start(Map.of("site.test", "127.0.0.2")));
    }

    @AfterAll
    static void stop() {
        for (int i = CLOSE.size() - 1; i >= 0; i--) {
            try {
                CLOSE.get(i).close();
            } catch (Exception e) {
                System.out.println("closing " + CLOSE.get(i) + ": " + e);
            }
        }
        CLOSE.clear();
    }

    /**
     * Only this app's checker counts: nodes other test apps registered in the same database (and did not live to mark
     * stopped) would be asked too; and anonymous diagnoses other tests made from this address count against its limit.
     */
    @org.junit.jupiter.api.BeforeEach
    void onlyThisChecker() {
        Sql.update(dataSource, "update checker_node set stopped_at = now() where region <> 'test' and stopped_at is null");
        Sql.update(dataSource, "delete from diagnosis where owner_id is null");
    }

    @Test
    void aHealthySiteIsUpForEveryoneAndTheVisitorIsToldTheProblemIsOnTheirSide() throws Exception {
        TestOwner owner = Owners.create();
        long monitor = monitor(owner, "http://site.test:" + web + "/", List.of(dns.spec()));
        long t0 = System.nanoTime();
        JsonPath d = diagnoseAndWait(owner, monitor);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("up", d.getString("verdict.finding"), d.prettify());
        assertTrue(d.getString("verdict.headline").startsWith("Up for everyone: the check from region test"), d.getString("verdict.headline"));
        assertEquals(List.of(Map.of("region", "test", "state", "answered")), d.getList("regions"));
        assertEquals(200, d.getInt("checks[0].status"));
        assertEquals("127.0.0.1", d.getString("checks[0].resolvedIp"));
        assertTrue(d.getString("verdict.visitor[0].title").startsWith("It works from here"), d.prettify());
        System.out.printf("diagnosis of a healthy site on loopback: complete %d ms after the request%n", ms);
    }

    @Test
    void aRestartBehindNginxDuringAMarkedDeploymentIsDownForEveryoneWithWaitForTheVisitorAndTheDeploymentForTheOwner() throws Exception {
        TestOwner owner = Owners.create();
        long monitor = monitor(owner, "http://deploy.test:" + web + "/", List.of(dns.spec()));
        long deployment = owner.api().body(Map.of()).post("/api/v1/monitors/" + monitor + "/deployments").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        deploying.stop();
        try {
            JsonPath d = diagnoseAndWait(owner, monitor);
            assertEquals("down_everywhere", d.getString("verdict.finding"), d.prettify());
            assertTrue(d.getString("verdict.headline").startsWith("Down for everyone: HTTP 502 from nginx at the origin"),
                    d.getString("verdict.headline"));
            assertTrue(d.getString("verdict.layer").startsWith("nginx at the origin answered 502"), d.getString("verdict.layer"));
            assertTrue(d.getString("verdict.cause").contains("Deployment #" + deployment + " is in progress"), d.getString("verdict.cause"));
            assertEquals("It's not you", d.getString("verdict.visitor[0].title"));
            assertEquals("Wait 30–60 seconds and reload", d.getString("verdict.visitor[1].title"));
            assertEquals("Let the deployment finish", d.getString("verdict.owner[0].title"));
            assertTrue(d.getString("verdict.owner[1].text").contains("nginx's error log"), d.prettify());
            assertEquals("origin", d.getString("checks[0].errorSource"));
            assertEquals("nginx", d.getString("checks[0].errorGenerator"));
            // the owner sees nginx's error page; anyone else with the link does not
            assertTrue(d.getString("checks[0].errorBody").contains("502"), d.prettify());
            JsonPath shared = given().get("/api/v1/diagnoses/" + d.getString("id")).then().statusCode(200).extract().jsonPath();
            assertNull(shared.get("checks[0].errorBody"), shared.prettify());
            assertEquals("down_everywhere", shared.getString("verdict.finding"));
        } finally {
            deploying.start();
        }
    }

    @Test
    void aDeadNodeBehindOneResolverIsDownOnlyThroughItAndTheVisitorIsToldToSwitchResolvers() throws Exception {
        TestOwner owner = Owners.create();
        long monitor = monitor(owner, "http://site.test:" + web + "/", List.of(deadNodeDns.spec()));
        JsonPath d = diagnoseAndWait(owner, monitor);
        assertEquals("down_via_resolvers", d.getString("verdict.finding"), d.prettify());
        assertEquals(2, d.getList("checks").size());
        assertTrue(d.getString("verdict.headline").startsWith("Down for some visitors, depending on their DNS: connect refused through "
                + deadNodeDns.spec() + ", while " + dns.spec() + " reach"), d.getString("verdict.headline"));
        assertEquals("Switch to a DNS resolver that points to a working address", d.getString("verdict.visitor[0].title"));
        assertTrue(d.getString("verdict.visitor[0].text").contains("They send visitors to 127.0.0.1, which works"), d.prettify());
        assertEquals("Flush your DNS cache", d.getString("verdict.visitor[1].title"));
        assertTrue(d.getString("verdict.owner[0].text").contains("fix or remove the record for 127.0.0.2"), d.prettify());
        // both resolvers were really asked
        assertTrue(deadNodeDns.log().contains("query[A] site.test"), "the dead node's resolver was asked");
        assertTrue(dns.log().contains("query[A] site.test"), "the default resolver was asked");
    }

    @Test
    void aSlowBackEndIsUpButSlowForEveryoneAndTheOwnerIsToldWhichPhaseToLookAt() throws Exception {
        TestOwner owner = Owners.create();
        long monitor = owner.api().body(Map.of("name", "slow", "url", "http://slow.test:" + web + "/", "intervalSeconds", 300,
                "timeoutMs", 2500, "maxResponseTimeMs", 300, "resolvers", List.of(dns.spec())))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath d = diagnoseAndWait(owner, monitor);
        assertEquals("slow", d.getString("verdict.finding"), d.prettify());
        assertTrue(d.getString("verdict.headline").startsWith("Up, but slow: every check took over 300 ms"), d.getString("verdict.headline"));
        assertTrue(d.getString("verdict.headline").endsWith("most of it waiting for the first byte."), d.getString("verdict.headline"));
        assertTrue(d.getInt("checks[0].timings.ttfbMs") >= 800, d.prettify());
        assertEquals(200, d.getInt("checks[0].status"));
        assertEquals("It is slow for everyone, not just you", d.getString("verdict.visitor[0].title"));
        assertEquals("Find what is slow", d.getString("verdict.owner[0].title"));
        assertTrue(d.getString("verdict.owner[0].text").contains("worker pool and slow queries"), d.prettify());
    }

    @Test
    void aSiteWithNothingListeningIsDownForEveryoneAndTheVisitorIsToldItIsNotThem() throws Exception {
        TestOwner owner = Owners.create();
        long monitor = monitor(owner, "http://127.0.0.1:" + nothing + "/", List.of(dns.spec()));
        JsonPath d = diagnoseAndWait(owner, monitor);
        assertEquals("down_everywhere", d.getString("verdict.finding"), d.prettify());
        assertEquals("connect_refused", d.getString("checks[0].errorClass"));
        assertEquals("It's not you", d.getString("verdict.visitor[0].title"));
        assertTrue(d.getString("verdict.cause").startsWith("Nothing accepts connections on the site's port"), d.getString("verdict.cause"));
        // the monitor's page lists it beside the incidents
        String page = owner.web().get("/monitors/" + monitor).then().statusCode(200).extract().asString();
        assertTrue(page.contains("data-diagnosis=\"" + d.getString("id") + "\""), "the monitor page lists the diagnosis");
        assertEquals(1, owner.api().get("/api/v1/monitors/" + monitor + "/diagnoses").then().statusCode(200).extract().jsonPath()
                .getList("").size());
    }

    @Test
    void aDiagnosisThatCannotBeReadIsSetAsideAloneAndTheOneBehindItIsChecked() throws Exception {
        String bad = java.util.UUID.randomUUID().toString();
        Sql.update(dataSource, """
                insert into diagnosis (id, url, url_key, probe, resolvers, regions, slow_ms, deadline_at, expires_at)
                values (?::uuid, 'http://broken.test/', 'http://broken.test', '[]', '{system}', '{test}', 3000,
                        now() + interval '20 seconds', now() + interval '1 day')
                """, bad);
        Sql.update(dataSource, "insert into diagnosis_task (diagnosis_id, region) values (?::uuid, 'test')", bad);
        TestOwner owner = Owners.create();
        JsonPath d = diagnoseAndWait(owner, monitor(owner, "http://site.test:" + web + "/", List.of(dns.spec())));
        assertEquals("up", d.getString("verdict.finding"), d.prettify());
        assertEquals(1, Sql.number(dataSource, "select count(*) from diagnosis_task where diagnosis_id = ?::uuid and done_at is not null", bad),
                "the unreadable one is marked done, not claimed again and again");
        Sql.update(dataSource, "delete from diagnosis where id = ?::uuid", bad);
    }

    @Test
    void aRegionThatTakesNoDiagnosisIsShownAsNotAnsweringOnceTheDeadlinePasses() throws Exception {
        // a checker of region "mars" that heartbeats but does not take diagnoses (an old version, say)
        Sql.update(dataSource, """
                insert into checker_node (id, region, host, version, started_at, last_seen_at) values ('mars-1', 'mars', 'mars', 'old', now(), now())
                on conflict (id) do update set last_seen_at = now(), stopped_at = null
                """);
        try {
            TestOwner owner = Owners.create();
            long monitor = monitor(owner, "http://site.test:" + web + "/", List.of(dns.spec()));
            JsonPath first = owner.api().post("/api/v1/monitors/" + monitor + "/diagnose").then().statusCode(202).extract().jsonPath();
            assertEquals(List.of("mars", "test"), first.getList("regions.region"));
            JsonPath d = waitComplete(owner, first.getString("id"));
            assertEquals(List.of(Map.of("region", "mars", "state", "silent"), Map.of("region", "test", "state", "answered")), d.getList("regions"));
            assertEquals(List.of("mars"), d.getList("verdict.silent"));
            assertEquals("up", d.getString("verdict.finding"), d.prettify());
        } finally {
            Sql.update(dataSource, "delete from checker_node where id = 'mars-1'");
        }
    }

    @Test
    void anyoneMayDiagnoseAUrlWithinTheLimitsAndBadInputIsRefusedNamingTheField() throws Exception {
        String url = "http://site.test:" + web + "/?anonymous";
        Response first = given().contentType(ContentType.JSON).body(Map.of("url", url)).post("/api/v1/diagnose");
        assertEquals(202, first.statusCode(), first.asString());
        String id = first.jsonPath().getString("id");
        assertEquals("/api/v1/diagnoses/" + id, first.header("Location"));
        JsonPath d = waitComplete(null, id);
        assertEquals("up", d.getString("verdict.finding"), d.prettify());
        assertNull(d.get("monitorId"));
        // the same URL moments later: the same diagnosis, no new checks
        Response again = given().contentType(ContentType.JSON).body(Map.of("url", url + "#top")).post("/api/v1/diagnose");
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(id, again.jsonPath().getString("id"));

        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("", "is required");
        refused.put("ftp://site.test/", "must start with http:// or https://");
        refused.put("http://10.1.2.3/", "points inside a private network");
        refused.put("http://site.test:8081/", "may use only port 80 or 443 or " + web + " without an account");
        refused.put("http://site.test/\u0000", "NUL");
        for (var e : refused.entrySet()) {
            Response r = given().contentType(ContentType.JSON).body(Map.of("url", e.getKey())).post("/api/v1/diagnose");
            assertEquals(400, r.statusCode(), e.getKey() + ": " + r.asString());
            assertEquals("application/problem+json", r.contentType());
            assertEquals("url", r.jsonPath().getString("errors[0].field"));
            assertTrue(r.jsonPath().getString("errors[0].message").contains(e.getValue()), e.getKey() + ": " + r.asString());
        }
        // four new diagnoses an hour per client address: this test's first one and three more, then 429
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body(Map.of("url", url + i)).post("/api/v1/diagnose").then().statusCode(202);
        }
        Response limited = given().contentType(ContentType.JSON).body(Map.of("url", url + "-over")).post("/api/v1/diagnose");
        assertEquals(429, limited.statusCode(), limited.asString());
        assertEquals("application/problem+json", limited.contentType());
        assertNotNull(limited.header("Retry-After"));
        assertTrue(Long.parseLong(limited.header("Retry-After")) > 3000, limited.header("Retry-After"));
        assertTrue(limited.jsonPath().getString("detail").contains("per client address per hour"), limited.asString());
        // a reused answer costs nothing against the limit
        assertEquals(200, given().contentType(ContentType.JSON).body(Map.of("url", url)).post("/api/v1/diagnose").statusCode());
        Sql.update(dataSource, "delete from diagnosis where owner_id is null");
    }

    private static long monitor(TestOwner owner, String url, List<String> resolvers) {
        return owner.api().body(Map.of("name", "diagnosed", "url", url, "intervalSeconds", 300, "timeoutMs", 2000, "resolvers", resolvers))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static JsonPath diagnoseAndWait(TestOwner owner, long monitor) throws InterruptedException {
        Response r = owner.api().post("/api/v1/monitors/" + monitor + "/diagnose");
        assertEquals(202, r.statusCode(), r.asString());
        assertEquals("/api/v1/diagnoses/" + r.jsonPath().getString("id"), r.header("Location"));
        assertFalse(r.jsonPath().getBoolean("complete"), "no result can be in before the answer: " + r.asString());
        return waitComplete(owner, r.jsonPath().getString("id"));
    }

    private static JsonPath waitComplete(TestOwner owner, String id) throws InterruptedException {
        JsonPath[] last = new JsonPath[1];
        RealTime.waitFor(Duration.ofSeconds(20), () -> {
            last[0] = (owner == null ? given() : owner.api()).get("/api/v1/diagnoses/" + id).then().statusCode(200).extract().jsonPath();
            return last[0].getBoolean("complete");
        });
        return last[0];
    }

    private static <T extends AutoCloseable> T closing(T t) {
        CLOSE.add(t);
        return t;
    }
}
