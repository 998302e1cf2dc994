package dev.gatewatch.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.History;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The monitor list, the status page settings, the public status page and the badges, over history written into the
 * rollup and incident tables as the checker and analyzer would leave them.
 */
@QuarkusTest
class DashboardPagesTest {

    private static final String PARTIAL_SCOPE = """
            {"extent":"RESOLVER","regions":["eu-west"],"resolvers":["8.8.8.8"],"addresses":{"8.8.8.8":["203.0.113.7"]},
             "healthyAddresses":["198.51.100.2"],"pops":["FRA"],"healthyPops":[],"failingStreams":1,"streams":2,
             "liveRegions":["eu-west"],"quorum":false}""";

    @Inject
    AgroalDataSource dataSource;

    private TestOwner owner;
    private long shop;
    private long api;
    private long blog;

    @BeforeEach
    void seed() throws Exception {
        owner = Owners.create();
        shop = monitor("Shop", "http://127.0.0.1:9/shop");
        api = monitor("API", "http://127.0.0.1:9/api");
        blog = monitor("Blog", "http://127.0.0.1:9/blog");
        owner.api().post("/api/v1/monitors/" + blog + "/pause").then().statusCode(200);
        Instant now = Instant.now();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            long ownerId;
            try (var ps = c.prepareStatement("select id from owner where email = ?")) {
                ps.setString(1, owner.email());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    ownerId = rs.getLong(1);
                }
            }
            History h = new History(c).partitionsSince(today.minusDays(89));
            for (int d = 0; d < 90; d++) {
                h.day(shop, today.minusDays(d), 1440, d == 3 ? 144 : 0, 120);   // one bad day: 90%
                h.day(api, today.minusDays(d), 1440, d < 7 ? 1440 : 0, 300);    // down for the last week
            }
            Instant hour = now.truncatedTo(ChronoUnit.HOURS);
            for (int i = 0; i < 24; i++) {
                h.hour(shop, hour.minus(i, ChronoUnit.HOURS), 60, 0, 100 + i * 10);
                h.hour(api, hour.minus(i, ChronoUnit.HOURS), 60, 60, 0);
            }
            h.latest(shop, "eu-west", "system", now.minusSeconds(5), true, 200, 110);
            h.latest(shop, "eu-west", "8.8.8.8", now.minusSeconds(5), true, 200, 130);
            h.latest(shop, "us-east", "system", now.minusSeconds(3600), false, 502, 10); // stale stream: ignored
            h.latest(api, "eu-west", "system", now.minusSeconds(5), false, 502, 20);
            h.incident(ownerId, api, "outage", "open", "{\"extent\":\"WHOLE\",\"regions\":[\"eu-west\"]}",
                    now.minus(Duration.ofDays(7)), now.minus(Duration.ofDays(7)).plusSeconds(60), null);
            h.incident(ownerId, shop, "partial", "resolved", PARTIAL_SCOPE, now.minus(Duration.ofDays(3)),
                    now.minus(Duration.ofDays(3)).plusSeconds(60), now.minus(Duration.ofDays(3)).plusSeconds(1500));
            h.incident(ownerId, shop, "deploy_blip", "resolved", "{\"extent\":\"WHOLE\"}", now.minus(Duration.ofDays(1)), null,
                    now.minus(Duration.ofDays(1)).plusSeconds(40));
        }
    }

    private long monitor(String name, String url) {
        return ((Number) owner.api().body("{\"name\":\"" + name + "\",\"url\":\"" + url + "\"}").post("/api/v1/monitors")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    private static String row(String html, long monitorId) {
        Matcher m = Pattern.compile("<tr data-monitor=\"" + monitorId + "\".*?</tr>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "row of monitor " + monitorId);
        return m.group();
    }

    @Test
    void monitorListShowsStateIncidentUptimeAndResponseTimeWorstFirst() {
        String html = owner.web().get("/").then().statusCode(200).header("Cache-Control", "no-store").extract().asString();
        assertTrue(html.indexOf("data-monitor=\"" + api + "\"") < html.indexOf("data-monitor=\"" + shop + "\""), "down sorts first");
        assertTrue(html.indexOf("data-monitor=\"" + shop + "\"") < html.indexOf("data-monitor=\"" + blog + "\""), "paused sorts last");
        String apiRow = row(html, api);
        assertTrue(apiRow.contains("pill-down") && apiRow.contains("Outage") && apiRow.contains("for 7 d"), apiRow);
        assertTrue(apiRow.contains(">0%<") && apiRow.contains(">92.22%<"), "24 h and 90 d uptime: " + apiRow);
        String shopRow = row(html, shop);
        assertTrue(shopRow.contains("pill-up") && shopRow.contains(">Up<"), "a stale failing stream does not count: " + shopRow);
        // 7 d and 30 d include the bad day (144 of 10,080 and 43,200 failed), 24 h does not.
        assertTrue(shopRow.contains(">100%<") && shopRow.contains(">98.57%<") && shopRow.contains(">99.66%<") && shopRow.contains(">99.88%<"), shopRow);
        assertTrue(shopRow.contains(">120 ms<"), "mean of the live streams: " + shopRow);
        assertTrue(shopRow.contains("<path d=\"M0.0,") && shopRow.contains("100 to 330 ms"), "sparkline: " + shopRow);
        assertTrue(row(html, blog).contains("pill-paused"));
        assertTrue(html.contains("hx-get=\"/?sort=state\"") && html.contains("hx-trigger=\"every 10s\""), "polls itself");
        assertTrue(html.contains("/static/bundle/app-"), "htmx from the bundle, not a CDN");
        assertTrue(!html.contains("https://"), "no external links or scripts");
    }

    @Test
    void filtersSortsAndAnswersHtmxWithTheTableOnly() {
        String problems = owner.web().queryParam("state", "problems").get("/").then().statusCode(200).extract().asString();
        assertTrue(problems.contains("data-monitor=\"" + api + "\"") && !problems.contains("data-monitor=\"" + shop + "\""));
        assertTrue(problems.contains("Needing attention (1)"));
        String byName = owner.web().queryParam("sort", "name").queryParam("q", "o").get("/").then().statusCode(200).extract().asString();
        assertTrue(byName.indexOf("data-monitor=\"" + blog + "\"") < byName.indexOf("data-monitor=\"" + shop + "\""));
        assertTrue(!byName.contains("data-monitor=\"" + api + "\""), "text filter");
        String fragment = owner.web().header("HX-Request", "true").queryParam("sort", "response").get("/").then().statusCode(200)
                .header("Vary", "HX-Request").extract().asString();
        assertTrue(fragment.startsWith("<div id=\"monitor-table\" hx-get=\"/?sort=response\""), fragment.substring(0, 80));
        assertTrue(!fragment.contains("<html") && !fragment.contains("<nav"));
        // Another owner sees none of it.
        String other = Owners.create().web().get("/").then().statusCode(200).extract().asString();
        assertTrue(!other.contains("data-monitor=\"" + shop + "\""));
    }

    @Test
    void statusPageSettingsValidateLikeTheApi() {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        owner.api().get("/api/v1/status-page").then().statusCode(404);
        long foreign = ((Number) Owners.create().api().body("{\"name\":\"x\",\"url\":\"http://127.0.0.1:9/\"}").post("/api/v1/monitors")
                .then().statusCode(201).extract().path("id")).longValue();
        owner.api().body("{\"slug\":\"Bad Slug\",\"title\":\"\",\"groups\":[{\"name\":\"Web\",\"monitors\":[{\"monitorId\":" + foreign
                + "},{\"monitorId\":" + shop + "},{\"monitorId\":" + shop + "}]}]}").put("/api/v1/status-page").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("slug", "title", "groups[0].monitors[0].monitorId",
                        "groups[0].monitors[2].monitorId"));
        // The form shows the same messages next to its fields and keeps what was typed.
        String page = owner.web().formParam("csrf", owner.csrf()).formParam("slug", "Bad Slug").formParam("title", "Acme")
                .formParam("show", String.valueOf(shop)).formParam("group-" + shop, "Website").post("/status-page")
                .then().statusCode(400).extract().asString();
        assertTrue(page.contains("aria-invalid=\"true\" aria-describedby") || page.contains("aria-invalid=\"true\""), page);
        assertTrue(page.contains("id=\"slug-error\">must be 1-40 lower-case letters"), page);
        assertTrue(page.contains("value=\"Bad Slug\"") && page.contains("value=\"Website\""), "keeps the input");
        owner.web().formParam("slug", slug).formParam("title", "Acme").post("/status-page").then().statusCode(403);
        // Saved through the form: grouped, ordered, public.
        owner.web().formParam("csrf", owner.csrf()).formParam("slug", slug).formParam("title", "Acme status").formParam("enabled", "on")
                .formParam("show", String.valueOf(shop), String.valueOf(api)).formParam("group-" + shop, "Website")
                .formParam("name-" + shop, "Online shop").formParam("group-" + api, "API").post("/status-page")
                .then().statusCode(303).header("Location", containsString("/status-page?saved=1"));
        owner.api().get("/api/v1/status-page").then().statusCode(200).body("slug", equalTo(slug)).body("enabled", equalTo(true))
                .body("groups[0].name", equalTo("Website")).body("groups[0].monitors[0].displayName", equalTo("Online shop"))
                .body("groups[1].monitors[0].monitorId", equalTo((int) api));
        // A slug someone else has is refused.
        Owners.create().api().body("{\"slug\":\"" + slug + "\",\"title\":\"Mine\"}").put("/api/v1/status-page").then().statusCode(400)
                .body("errors[0].field", equalTo("slug")).body("errors[0].message", equalTo("is taken"));
    }

    private String publish(boolean details) {
        String slug = "p-" + UUID.randomUUID().toString().substring(0, 8);
        owner.api().body("{\"slug\":\"" + slug + "\",\"title\":\"Acme status\",\"description\":\"Shop and API\",\"enabled\":true,"
                + "\"showDetails\":" + details + ",\"groups\":[{\"name\":\"Website\",\"monitors\":[{\"monitorId\":" + shop
                + ",\"displayName\":\"Online shop\"}]},{\"name\":\"Backend\",\"monitors\":[{\"monitorId\":" + api + "}]}]}")
                .put("/api/v1/status-page").then().statusCode(200);
        return slug;
    }

    @Test
    void publicStatusPageShowsStatesStripsAndIncidentsWithoutInternals() {
        String slug = publish(false);
        String html = given().get("/status/" + slug).then().statusCode(200).header("Cache-Control", "public, max-age=30")
                .extract().asString();
        assertTrue(html.contains("<h1>Major outage</h1>") && html.contains("Shop and API"), "banner");
        assertTrue(html.indexOf("<h2>Website</h2>") < html.indexOf("<h2>Backend</h2>"), "groups in order");
        assertTrue(html.contains("<h3>Online shop</h3>") && !html.contains("<h3>Shop</h3>"), "public name");
        assertTrue(html.contains("pill-public-down\">major outage"), "api state");
        assertEquals(180, html.split("<span class=\"day-").length - 1, "two strips of 90 days");
        assertTrue(html.contains("(144 of 1,440 checks failed)"), "day titles");
        assertTrue(html.contains("Partial outage: Online shop") && html.contains("depending on the DNS service they use. Resolved after 25 min."), html);
        assertTrue(html.contains("Outage: API") && html.contains("Ongoing for 7 d"), "open outage");
        assertTrue(!html.contains("Deploy") && !html.contains("deploy"), "blips stay private");
        for (String internal : new String[] {"8.8.8.8", "203.0.113.7", "FRA", "127.0.0.1", "eu-west", "Blog"}) {
            assertTrue(!html.contains(internal), "no " + internal + " on the public page");
        }
        String detailed = given().get("/status/" + publish(true)).then().statusCode(200).extract().asString();
        assertTrue(detailed.contains("Affected: resolver 8.8.8.8 (answered 203.0.113.7)."), "opted in");
        // Off, unknown or never published: nothing.
        given().get("/status/no-such-page").then().statusCode(404);
        owner.api().body("{\"slug\":\"" + slug + "\",\"title\":\"Acme\",\"enabled\":false}").put("/api/v1/status-page").then().statusCode(200);
        given().get("/status/" + slug).then().statusCode(404);
    }

    @Test
    void incidentsAreAnAtomFeedWithStableEntriesAndNoInternals() throws Exception {
        String slug = publish(false);
        String page = given().get("/status/" + slug).then().statusCode(200).extract().asString();
        assertTrue(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Acme status: incidents\" href=\"/status/"
                + slug + "/feed.atom\">"), "feed advertised");
        assertTrue(page.contains("hx-get=\"/status/" + slug + "\" hx-trigger=\"every 60s\" hx-select=\"#status\""), "the page refreshes itself");
        String xml = given().get("/status/" + slug + "/feed.atom").then().statusCode(200).contentType(containsString("application/atom+xml"))
                .header("Cache-Control", "public, max-age=60").extract().asString();
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        org.w3c.dom.Document feed = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
        String atom = "http://www.w3.org/2005/Atom";
        assertEquals("feed", feed.getDocumentElement().getLocalName());
        assertEquals(atom, feed.getDocumentElement().getNamespaceURI());
        var entries = feed.getElementsByTagNameNS(atom, "entry");
        assertEquals(2, entries.getLength(), xml);
        String first = entries.item(0).getTextContent();
        String second = entries.item(1).getTextContent();
        assertTrue(first.contains("Partial outage: Online shop (resolved)") && first.contains("Resolved after 25 min."), first);
        assertTrue(second.contains("Outage: API") && !second.contains("(resolved)") && second.contains("Ongoing since "), second);
        // Entry ids are the incidents' anchors on the page, and stay put from one fetch to the next.
        String id = ((org.w3c.dom.Element) entries.item(0)).getElementsByTagNameNS(atom, "id").item(0).getTextContent();
        assertTrue(id.endsWith("/status/" + slug + "#incident-" + id.substring(id.indexOf("#incident-") + 10)), id);
        assertTrue(page.contains("id=\"" + id.substring(id.indexOf('#') + 1) + "\""), "anchor " + id + " on the page");
        assertEquals(xml, given().get("/status/" + slug + "/feed.atom").then().extract().asString(), "the same feed twice");
        for (String internal : new String[] {"8.8.8.8", "203.0.113.7", "FRA", "127.0.0.1", "Blog", "Deploy"}) {
            assertTrue(!xml.contains(internal), "no " + internal + " in the feed");
        }
        owner.api().body("{\"slug\":\"" + slug + "\",\"title\":\"Acme\",\"enabled\":false}").put("/api/v1/status-page").then().statusCode(200);
        given().get("/status/" + slug + "/feed.atom").then().statusCode(404);
    }

    @Test
    void badgesAreStableCacheableSvg() {
        String slug = publish(false);
        String base = "/status/" + slug + "/badge/" + shop;
        var status = given().get(base + "/status.svg").then().statusCode(200).contentType(containsString("image/svg+xml"))
                .header("Cache-Control", "public, max-age=60").extract();
        assertTrue(status.asString().contains("aria-label=\"status: operational\"") && status.asString().contains("#2e7d32"));
        String etag = status.header("ETag");
        given().header("If-None-Match", etag).get(base + "/status.svg").then().statusCode(304);
        given().get(base + "/uptime.svg?period=30d").then().statusCode(200).body(containsString("uptime 30d: 99.66%"))
                .header("Cache-Control", "public, max-age=300");
        given().get(base + "/uptime.svg?period=90d").then().statusCode(200).body(containsString("uptime 90d: 99.88%"));
        given().get(base + "/uptime.svg?period=1y").then().statusCode(400).body("errors[0].field", equalTo("period"));
        given().get(base + "/response-time.svg").then().statusCode(200).body(containsString("response time: 120 ms"));
        given().get("/status/" + slug + "/badge/" + api + "/status.svg").then().statusCode(200).body(containsString("major outage"))
                .body(containsString("#c62828"));
        // Only monitors on the page have badges.
        given().get("/status/" + slug + "/badge/" + blog + "/status.svg").then().statusCode(404).body(not(containsString("Blog")));
    }

    @Test
    void ownersAreToldWhichSilentRegionsCheckTheirMonitorsAndWhatNoRegionChecks() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String silent = "silent-" + tag;
        String live = "live-" + tag;
        String restarting = "restarting-" + tag;
        long only = ((Number) owner.api().body("{\"name\":\"Only\",\"url\":\"http://127.0.0.1:9/only\",\"regions\":[\"" + silent + "\"]}")
                .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        long both = ((Number) owner.api().body("{\"name\":\"Both\",\"url\":\"http://127.0.0.1:9/both\",\"regions\":[\"" + silent + "\",\""
                + live + "\"]}").post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        try (Connection c = dataSource.getConnection()) {
            // Silent 5 min; live now; a node that stopped 5 s ago (a restart, within the node timeout: not silent yet).
            try (var ps = c.prepareStatement("""
                    insert into checker_node (id, region, host, version, started_at, last_seen_at, stopped_at) values
                    (?, ?, 'h', 't', now() - interval '1 hour', now() - interval '5 minutes', null),
                    (?, ?, 'h', 't', now() - interval '1 hour', now() + interval '1 minute', null),
                    (?, ?, 'h', 't', now() - interval '1 hour', now() - interval '5 seconds', now() - interval '5 seconds')""")) {
                ps.setString(1, silent + "-node");
                ps.setString(2, silent);
                ps.setString(3, live + "-node");
                ps.setString(4, live);
                ps.setString(5, restarting + "-node");
                ps.setString(6, restarting);
                ps.executeUpdate();
            }
            try {
                String list = owner.web().get("/").then().statusCode(200).extract().asString();
                // Shop and API (every region), Only and Both; not the paused Blog.
                assertTrue(list.contains("No checks from " + silent + " since") && list.contains("4 monitors are checked from " + silent), list);
                assertTrue(list.contains("1 monitor is not being checked from anywhere"), "Only has no live region: " + list);
                assertTrue(!list.contains("No checks from " + restarting) && !list.contains("No checks from " + live), list);
                String table = owner.web().header("HX-Request", "true").get("/").then().statusCode(200).extract().asString();
                assertTrue(table.contains("No checks from " + silent), "the refreshed table carries the notice: " + table);

                String onlyPage = owner.web().get("/monitors/" + only).then().statusCode(200).extract().asString();
                assertTrue(onlyPage.contains("1 monitor is checked from " + silent) && onlyPage.contains("not being checked from anywhere"), onlyPage);
                String bothPage = owner.web().header("HX-Request", "true").get("/monitors/" + both).then().statusCode(200).extract().asString();
                assertTrue(bothPage.contains("No checks from " + silent) && !bothPage.contains("not being checked from anywhere"), bothPage);

                TestOwner other = Owners.create();
                String otherList = other.web().get("/").then().statusCode(200).extract().asString();
                assertTrue(!otherList.contains(silent), "no monitors, nothing to tell: " + otherList);
            } finally {
                try (var ps = c.prepareStatement("delete from checker_node where region in (?, ?, ?)")) {
                    ps.setString(1, silent);
                    ps.setString(2, live);
                    ps.setString(3, restarting);
                    ps.executeUpdate();
                }
            }
        }
    }
}
