package dev.gatewatch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.check.CheckerProcess;
import dev.gatewatch.check.CheckerProfile;
import dev.gatewatch.support.DatabaseLogin;
import dev.gatewatch.support.JavaProcess;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import dev.gatewatch.support.Receiver;
import dev.gatewatch.support.e2e.Backend;
import dev.gatewatch.support.e2e.Dnsmasq;
import dev.gatewatch.support.e2e.Forwarder;
import dev.gatewatch.support.e2e.Netns;
import dev.gatewatch.support.e2e.Nginx;
import dev.gatewatch.support.e2e.Ports;
import dev.gatewatch.support.e2e.RealTime;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Regions for real: three checker processes, each in a network namespace of its own (loopback only), reaching the
 * database, the sites and the DNS resolver only through {@link Forwarder}s, so a region is cut off from one site or
 * from the database by ending one forwarder, or black-holed (what it sends is dropped, so it times out). Debian's
 * nginx serves four sites on loopback under names a real dnsmasq resolves, one monitor each, checked from all three
 * regions every 5 s; the analyzer runs in this app. Side by side: region 1 is cut off from one site (a partial naming
 * it), regions 1 and 2 are black-holed from another (an outage by majority, blamed on their network path, not on the
 * back end that region 3 still reaches), and every region sees a 40 s restart behind nginx (one deploy blip, no alert,
 * its "lasted between" holding 40 s). Then region 3's checker loses the database: the region goes silent, and nothing
 * is alerted. About 2.5 minutes; skipped where namespaces cannot be made.
 */
@Tag("e2e") // needs nginx, dnsmasq, chromium or network namespaces (src/test/e2e/install-tools.sh): ./mvnw verify
@QuarkusTest
@TestProfile(RegionsEndToEndTest.Profile.class)
class RegionsEndToEndTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new CheckerProfile().getConfigOverrides());
            // No checker here: every check comes from a namespace.
            config.put("gatewatch.roles", "api,analyzer");
            // The checkers heartbeat every second; a few seconds of CPU starvation must not make a region silent.
            config.put("gatewatch.checker.node-timeout", "10s");
            // Diagnoses ask the test's dnsmasq (started later on this port), never the system resolver or a public one.
            String dnsPort = System.getProperty(DNS_PORT, String.valueOf(Ports.freeUdpAndTcpPort("127.0.0.1")));
            System.setProperty(DNS_PORT, dnsPort);
            config.put("gatewatch.diagnosis.resolvers", "127.0.0.1:" + dnsPort);
            return config;
        }
    }

    /** The dnsmasq port, chosen by the profile before the app starts (its diagnoses' resolver). */
    static final String DNS_PORT = "regions-e2e.dns-port";
    private static final int INTERVAL = 5;
    private static final int WINDOW = 30;
    /** Longer than the 40 s restart: a blip must clear inside it. */
    private static final int BLIP_WINDOW = 60;
    private static final Duration BLIP = Duration.ofSeconds(40);
    private static final List<String> SITES = List.of("partial", "outage", "blip", "dbcut");

    private record Region(String name, Netns ns, Map<String, Forwarder> sites) {
    }

    private static final List<AutoCloseable> CLOSE = new ArrayList<>();
    private static final List<Region> REGIONS = new ArrayList<>();
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    private static Backend steady;
    private static Backend deploy;
    private static Dnsmasq dns;
    /** Why namespaces cannot be made here, if they cannot. */
    private static String notPermitted;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DatabaseLogin db;

    @BeforeAll
    static void world() {
        String run = Long.toString(System.currentTimeMillis() % 100_000, 36);
        List<Netns> namespaces = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                Netns ns = Netns.create("r" + i);
                CLOSE.add(ns);
                namespaces.add(ns);
            }
        } catch (Netns.NotPermitted e) {
            // Skipped in the test rather than here: surefire reports a class aborted in @BeforeAll as 0 tests, no reason.
            notPermitted = "network namespaces not permitted here: " + e.getMessage();
            System.out.println("RegionsEndToEndTest skipped: " + notPermitted);
            return;
        }
        steady = Backend.start("127.0.0.1", 0);
        deploy = Backend.start("127.0.0.1", 0);
        CLOSE.add(steady);
        CLOSE.add(deploy);
        List<Nginx.Site> sites = new ArrayList<>();
        for (String site : SITES) {
            int port = Ports.freeTcpPort("127.0.0.1");
            PORTS.put(site, port);
            sites.add(Nginx.Site.of("127.0.0.1", port, site + ".test", (site.equals("blip") ? deploy : steady).spec()));
        }
        CLOSE.add(Nginx.start(sites));
        Map<String, String> names = new LinkedHashMap<>();
        SITES.forEach(site -> names.put(site + ".test", "127.0.0.1"));
        dns = closing(Dnsmasq.startOn(Integer.getInteger(DNS_PORT), names));
        for (int i = 0; i < 3; i++) {
            Netns ns = namespaces.get(i);
            Map<String, Forwarder> forwarders = new LinkedHashMap<>();
            PORTS.forEach((site, port) -> forwarders.put(site, closing(Forwarder.start(ns, port))));
            closing(Forwarder.startUdp(ns, dns.port()));
            REGIONS.add(new Region("ns-" + run + "-r" + (i + 1), ns, forwarders));
        }
    }

    @AfterAll
    static void stop() {
        // Checkers and forwarders first, namespaces (taking whatever is left inside) last.
        for (int i = CLOSE.size() - 1; i >= 0; i--) {
            try {
                CLOSE.get(i).close();
            } catch (Exception e) {
                System.out.println("closing " + CLOSE.get(i) + ": " + e);
            }
        }
        CLOSE.clear();
        REGIONS.clear();
        PORTS.clear();
        notPermitted = null;
    }

    @Test
    void partialOutageSilentRegionAndDeployBlipAcrossRealRegions() throws Exception {
        Assumptions.assumeTrue(notPermitted == null, notPermitted);
        Matcher local = Pattern.compile("jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/.*").matcher(db.url());
        assertTrue(local.matches(), "the checkers reach the database through a forwarder to 127.0.0.1:port; got " + db.url());
        int dbPort = Integer.parseInt(local.group(1));
        Map<String, Forwarder> databases = new LinkedHashMap<>();
        for (Region r : REGIONS) {
            databases.put(r.name(), closing(Forwarder.start(r.ns(), dbPort)));
        }
        List<String> regions = REGIONS.stream().map(Region::name).toList();
        String r1 = regions.get(0);
        String r2 = regions.get(1);
        String r3 = regions.get(2);

        TestOwner owner = Owners.create();
        // A channel, so that an incident that alerts queues a notification; no notifier runs here to send it.
        Receiver hook = closing(new Receiver());
        long channel = ((Number) owner.api().body(Map.of("type", "webhook", "name", "pager", "settings", Map.of("url", hook.url("/hook")),
                        "secrets", Map.of("secret", "netns-e2e-signing-secret")))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id")).longValue();
        Map<String, Long> monitors = new LinkedHashMap<>();
        for (String site : SITES) {
            monitors.put(site, owner.api().body(Map.of("name", site, "url", "http://" + site + ".test:" + PORTS.get(site) + "/",
                    "intervalSeconds", INTERVAL, "timeoutMs", (INTERVAL - 1) * 1000, "regions", regions, "resolvers", List.of(dns.spec()),
                    "alertPolicy", Map.of("confirmationWindowSeconds", site.equals("blip") ? BLIP_WINDOW : WINDOW, "channels", List.of(channel))))
                    .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id"));
        }
        for (Region r : REGIONS) {
            JavaProcess checker = JavaProcess.start(r.ns().prefix(), CheckerProcess.class, db.url(), db.user(), db.password(), r.name(),
                    r.name() + "-node", "8000");
            CLOSE.add(() -> checker.stop(Duration.ofSeconds(20)));
            checker.awaitLine("ready");
        }
        // Every region passes every site twice before the trouble starts.
        RealTime.waitFor(Duration.ofSeconds(60), () -> monitors.values().stream().allMatch(m -> Sql.number(dataSource, """
                select count(*) from (select region from check_result_full where monitor_id = ? and ok group by region having count(*) >= 2) x
                """, m) == 3));

        Instant cut = Instant.now();
        REGIONS.get(0).sites().get("partial").cut();
        REGIONS.get(0).sites().get("outage").blackHole();
        REGIONS.get(1).sites().get("outage").blackHole();
        deploy.stop();
        Instant down = Instant.now();
        RealTime.sleepUntil(cut.plus(BLIP));
        deploy.start();
        double restart = Duration.between(down, Instant.now()).toMillis() / 1000.0;
        RealTime.waitFor(Duration.ofSeconds(90), () -> has(owner, monitors.get("partial"), "partial", "open")
                && has(owner, monitors.get("outage"), "outage", "open") && has(owner, monitors.get("blip"), "deploy_blip", "resolved"));

        // One region cut off: a partial naming it, alerted.
        JsonPath partial = incidents(owner, monitors.get("partial"));
        assertEquals(1, partial.getList("").size(), partial.prettify());
        assertEquals("regions", partial.getString("[0].extent"));
        assertEquals(List.of(r1), partial.getList("[0].scope.regions"));
        assertEquals(false, partial.getBoolean("[0].scope.quorum"));
        assertTrue(partial.getString("[0].summary").contains(r1), partial.getString("[0].summary"));
        long toPartial = Duration.between(cut, Instant.parse(partial.getString("[0].confirmedAt"))).toSeconds();
        assertTrue(toPartial <= WINDOW + 2L * INTERVAL + 5, "partial confirmed " + toPartial + " s after the cut");
        assertTrue(alerts(monitors.get("partial")) >= 1, "the partial is alerted");
        assertEquals(List.of(dns.spec()), partial.getList("[0].scope.resolvers"), partial.prettify());

        // Two of three cut off: an outage by majority, alerted.
        JsonPath outage = incidents(owner, monitors.get("outage"));
        assertEquals(1, outage.getList("").size(), outage.prettify());
        assertEquals("regions", outage.getString("[0].extent"));
        assertEquals(List.of(r1, r2), outage.getList("[0].scope.regions"));
        assertEquals(true, outage.getBoolean("[0].scope.quorum"));
        long toOutage = Duration.between(cut, Instant.parse(outage.getString("[0].confirmedAt"))).toSeconds();
        assertTrue(toOutage <= WINDOW + 2L * INTERVAL + 5, "outage confirmed " + toOutage + " s after the cut");
        assertTrue(alerts(monitors.get("outage")) >= 1, "the outage is alerted");
        // Regions 1 and 2 time out while region 3 is served: their network path, not a hanging back end.
        assertTrue(outage.getList("[0].evidence.errorClasses").contains("connect_timeout"), outage.prettify());
        String cause = outage.getString("[0].explanation.cause");
        assertTrue(cause.startsWith("The network path from " + r1 + ", " + r2), cause);
        assertTrue(!cause.contains("overloaded") && !cause.contains("hanging"), cause);

        // A 40 s restart seen from every region: one deploy blip, never confirmed, not alerted.
        JsonPath blip = incidents(owner, monitors.get("blip"));
        assertEquals(1, blip.getList("").size(), blip.prettify());
        assertNull(blip.get("[0].confirmedAt"));
        assertEquals(regions, blip.getList("[0].scope.regions"));
        assertTrue(blip.getList("[0].evidence.statuses").contains(502), "nginx's 502: " + blip.getList("[0].evidence.statuses"));
        assertEquals(0, alerts(monitors.get("blip")), "the blip is not alerted");
        // "Lasted between" holds the truth: bounded by the last passing and first failing checks on both ends.
        assertTrue(blip.getInt("[0].minDurationSeconds") <= restart && restart <= blip.getInt("[0].maxDurationSeconds"),
                "restart of " + restart + " s, blip " + blip.getInt("[0].minDurationSeconds") + "–" + blip.getInt("[0].maxDurationSeconds") + " s");
        // Every name went through dnsmasq, from inside the namespaces.
        SITES.forEach(site -> assertTrue(dns.log().contains("query[A] " + site + ".test"), "dnsmasq was asked for " + site + ".test"));
        String ids = monitors.values().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        assertEquals(0, Sql.number(dataSource, "select count(*) from check_result_full where monitor_id in (" + ids + ") and resolver <> ?",
                dns.spec()), "every check resolved through dnsmasq");
        System.out.printf("netns e2e: partial (%s, refused) confirmed %d s after the cut, outage (%s, %s, black-holed) %d s; "
                        + "%.1f s restart a deploy blip of %d–%d s%n", r1, toPartial, r1, r2, toOutage, restart,
                blip.getInt("[0].minDurationSeconds"), blip.getInt("[0].maxDurationSeconds"));

        // The same world diagnosed on demand, from every region at once: down only where the route is cut. Only these
        // three regions are live: nodes other tests left in the shared database (some with heartbeats in the future) stop.
        Sql.update(dataSource, "update checker_node set stopped_at = now() where stopped_at is null and region not like 'ns-%'");
        long asking = System.nanoTime();
        JsonPath partialNow = diagnose(owner, monitors.get("partial"));
        System.out.printf("netns e2e: a diagnosis from 3 regions (one of them cut off from the site) complete %d ms after the request%n",
                (System.nanoTime() - asking) / 1_000_000);
        assertEquals("down_in_regions", partialNow.getString("verdict.finding"), partialNow.prettify());
        assertTrue(partialNow.getString("verdict.headline").startsWith("Down from " + r1 + ": connect refused, while " + r2 + " and "
                + r3 + " reach the site"), partialNow.getString("verdict.headline"));
        assertEquals("It depends on where you are", partialNow.getString("verdict.visitor[0].title"));
        assertTrue(partialNow.getString("verdict.owner[0].text").startsWith("Trace the route from " + r1), partialNow.prettify());
        JsonPath outageNow = diagnose(owner, monitors.get("outage"));
        assertEquals("down_in_regions", outageNow.getString("verdict.finding"), outageNow.prettify());
        assertTrue(outageNow.getString("verdict.headline").startsWith("Down from " + r1 + " and " + r2 + ": connect timeout, while "
                + r3 + " reach"), outageNow.getString("verdict.headline"));

        // Region 3's checker loses the database: the region goes silent, its missing checks are no failures.
        REGIONS.get(0).sites().get("partial").restore();
        REGIONS.get(0).sites().get("outage").restore();
        REGIONS.get(1).sites().get("outage").restore();
        Instant dbCut = Instant.now();
        databases.get(r3).cut();
        // asked while region 3 still counts as live: it cannot take the diagnosis, and is shown as not answering
        String asked = owner.api().post("/api/v1/monitors/" + monitors.get("dbcut") + "/diagnose").then().statusCode(202).extract().path("id");
        RealTime.waitFor(Duration.ofSeconds(30), () -> !live(owner, r3));
        long toSilent = Duration.between(dbCut, Instant.now()).toSeconds();
        RealTime.sleepUntil(dbCut.plusSeconds(WINDOW + 3L * INTERVAL));
        JsonPath shown = owner.api().get("/api/v1/regions").then().statusCode(200).extract().jsonPath();
        assertEquals(false, shown.getBoolean("find { it.region == '" + r3 + "' }.live"), shown.prettify());
        assertNotNull(shown.get("find { it.region == '" + r3 + "' }.silentSince"), shown.prettify());
        assertEquals(true, shown.getBoolean("find { it.region == '" + r1 + "' }.live"), shown.prettify());
        assertEquals(true, shown.getBoolean("find { it.region == '" + r2 + "' }.live"), shown.prettify());
        JsonPath dbcut = incidents(owner, monitors.get("dbcut"));
        assertEquals(0, dbcut.getList("").size(), "no incident while " + r3 + " is silent: " + dbcut.prettify());
        assertEquals(0, alerts(monitors.get("dbcut")), "nothing alerted for the silent region");
        assertEquals(1, incidents(owner, monitors.get("blip")).getList("").size(), "nothing new for the blip's monitor either");
        JsonPath withoutR3 = waitComplete(owner, asked);
        assertEquals(List.of(r3), withoutR3.getList("verdict.silent"), withoutR3.prettify());
        assertEquals("up", withoutR3.getString("verdict.finding"), withoutR3.prettify());

        databases.get(r3).restore();
        Instant back = Instant.now();
        RealTime.waitFor(Duration.ofSeconds(30), () -> live(owner, r3));
        System.out.printf("netns e2e: %s silent %d s after its database was cut, live again %d ms after it was back; no incident%n",
                r3, toSilent, Duration.between(back, Instant.now()).toMillis());
        // The cut regions, reconnected, recover the partial and the outage.
        RealTime.waitFor(Duration.ofSeconds(40), () -> has(owner, monitors.get("partial"), "partial", "resolved")
                && has(owner, monitors.get("outage"), "outage", "resolved"));
    }

    private JsonPath diagnose(TestOwner owner, long monitor) throws InterruptedException {
        return waitComplete(owner, owner.api().post("/api/v1/monitors/" + monitor + "/diagnose").then().statusCode(202).extract().path("id"));
    }

    private JsonPath waitComplete(TestOwner owner, String id) throws InterruptedException {
        JsonPath[] last = new JsonPath[1];
        RealTime.waitFor(Duration.ofSeconds(30), () -> {
            last[0] = owner.api().get("/api/v1/diagnoses/" + id).then().statusCode(200).extract().jsonPath();
            return last[0].getBoolean("complete");
        });
        return last[0];
    }

    private static <T extends AutoCloseable> T closing(T resource) {
        CLOSE.add(resource);
        return resource;
    }

    private boolean has(TestOwner owner, long monitor, String kind, String status) {
        JsonPath p = incidents(owner, monitor);
        return p.getList("").size() == 1 && kind.equals(p.getString("[0].kind")) && status.equals(p.getString("[0].status"));
    }

    private JsonPath incidents(TestOwner owner, long monitor) {
        return owner.api().get("/api/v1/monitors/" + monitor + "/incidents").then().statusCode(200).extract().jsonPath();
    }

    private boolean live(TestOwner owner, String region) {
        return owner.api().get("/api/v1/regions").then().statusCode(200).extract().jsonPath()
                .getBoolean("find { it.region == '" + region + "' }.live");
    }

    /** Alerts queued for the monitor's incidents: the outbox rows, whether or not a notifier delivers them. */
    private long alerts(long monitor) {
        return Sql.number(dataSource, """
                select count(*) from notification n join incident_event e on e.id = n.event_id join incident i on i.id = e.incident_id
                where i.monitor_id = ?
                """, monitor);
    }
}
