package dev.gatewatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatewatch.dashboard.model.Day;
import dev.gatewatch.dashboard.model.Health;
import dev.gatewatch.dashboard.model.MonitorList;
import dev.gatewatch.dashboard.model.MonitorSummary;
import dev.gatewatch.dashboard.model.OpenIncident;
import dev.gatewatch.dashboard.model.Sparkline;
import dev.gatewatch.dashboard.model.Uptime;
import dev.gatewatch.dashboard.status.Badge;
import dev.gatewatch.dashboard.status.AtomFeed;
import dev.gatewatch.dashboard.status.PublicIncident;
import dev.gatewatch.dashboard.status.PublicPage;

/** The dashboard's pure parts: state at a glance, uptime wording, strips, sparklines, sorting and filtering. */
class DashboardModelTest {

    private static OpenIncident incident(String kind, String status) {
        return new OpenIncident(1, kind.equals("degraded") ? "latency" : "availability", kind, status, "whole", "s", Instant.EPOCH);
    }

    static Stream<Arguments> health() {
        return Stream.of(
                // paused, availability incident, latency incident, streams, failing → state for the owner, for visitors
                Arguments.of("paused beats everything", true, incident("outage", "open"), null, 4, 4, Health.PAUSED, Health.PAUSED),
                Arguments.of("confirmed outage", false, incident("outage", "open"), null, 4, 4, Health.DOWN, Health.DOWN),
                Arguments.of("partial outage", false, incident("partial", "open"), null, 4, 1, Health.PARTIAL, Health.PARTIAL),
                Arguments.of("flapping", false, incident("flapping", "open"), null, 4, 0, Health.FLAPPING, Health.FLAPPING),
                Arguments.of("failing inside the confirmation window", false, incident("suspect", "suspected"), null, 4, 2, Health.SUSPECT, Health.UP),
                Arguments.of("failing during a deployment", false, incident("deploy_blip", "suspected"), null, 4, 4, Health.DEPLOYING, Health.UP),
                Arguments.of("outage wins over slow", false, incident("outage", "open"), incident("degraded", "open"), 4, 4, Health.DOWN, Health.DOWN),
                Arguments.of("slow but answering", false, null, incident("degraded", "open"), 4, 0, Health.DEGRADED, Health.DEGRADED),
                Arguments.of("new monitor without results", false, null, null, 0, 0, Health.PENDING, Health.PENDING),
                Arguments.of("failure the analyzer has not judged yet", false, null, null, 4, 1, Health.SUSPECT, Health.UP),
                Arguments.of("all passing", false, null, null, 4, 0, Health.UP, Health.UP),
                Arguments.of("confirming while slow: visitors hear only of the slowness", false, incident("suspect", "suspected"),
                        incident("degraded", "open"), 4, 2, Health.SUSPECT, Health.DEGRADED),
                Arguments.of("unjudged failure while slow", false, null, incident("degraded", "open"), 4, 1, Health.SUSPECT, Health.DEGRADED),
                Arguments.of("deploying while slow", false, incident("deploy_blip", "suspected"), incident("degraded", "open"), 4, 4,
                        Health.DEPLOYING, Health.DEGRADED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void health(String name, boolean paused, OpenIncident availability, OpenIncident latency, int streams, int failing, Health expected,
            Health forVisitors) {
        assertEquals(expected, Health.of(paused, availability, latency, streams, failing));
        assertEquals(forVisitors, Health.forVisitors(paused, availability, latency, streams, failing));
    }

    static Stream<Arguments> uptimeText() {
        return Stream.of(
                Arguments.of(0, 0, "–", "none"),
                Arguments.of(2880, 0, "100%", "ok"),
                Arguments.of(100000, 1, "99.99%", "ok"), // 99.999 is floored, never shown as 100%
                Arguments.of(1000, 1, "99.90%", "ok"),
                Arguments.of(1000, 2, "99.80%", "warn"),
                Arguments.of(100, 1, "99%", "warn"),
                Arguments.of(100, 2, "98%", "bad"),
                Arguments.of(3, 1, "66.66%", "bad"),
                Arguments.of(10, 10, "0%", "bad"));
    }

    @ParameterizedTest(name = "{1} of {0} failed → {2}")
    @MethodSource
    void uptimeText(long checks, long failures, String text, String band) {
        Uptime u = new Uptime(checks, failures);
        assertEquals(text, u.text());
        assertEquals(band, u.band());
    }

    @Test
    void stripFillsMissingDaysOldestFirst() {
        LocalDate today = LocalDate.parse("2026-11-25");
        List<Day> strip = Day.strip(today, 90, Map.of(today, new Uptime(10, 1), today.minusDays(89), new Uptime(5, 0)));
        assertEquals(90, strip.size());
        assertEquals(today.minusDays(89), strip.get(0).date());
        assertEquals("2026-08-28: 100% (5 checks)", strip.get(0).title());
        assertEquals("2026-08-29: no data", strip.get(1).title());
        assertEquals("2026-11-25: 90% (1 of 10 checks failed)", strip.get(89).title());
    }

    @Test
    void sparklineBreaksAtGapsAndScalesToTheMaximum() {
        Sparkline s = new Sparkline(Arrays.asList(100, 200, null, 50, 200));
        assertEquals("M0.0,12.0L24.0,2.0M72.0,17.0L96.0,2.0", s.path());
        assertEquals("response time over the last 24 h, 50 to 200 ms", s.description());
        assertEquals("", new Sparkline(Arrays.asList(null, null)).path());
        assertEquals("M93.0,2.0h3", new Sparkline(Arrays.asList(null, null, null, 40)).path(), "a lone last hour is a dash");
        assertEquals("M0.0,2.0h3M64.0,12.0L96.0,2.0", new Sparkline(Arrays.asList(80, null, 40, 80)).path(),
                "a lone first hour too, the rest a line");
    }

    private static MonitorSummary summary(long id, String name, Health health, long checks, long failures, Integer ms) {
        Uptime u = new Uptime(checks, failures);
        return new MonitorSummary(id, name, "https://" + name + ".example/", health == Health.PAUSED, 60, health, health, null, u, u, u, u, ms,
                null, new Sparkline(List.of()));
    }

    static Stream<Arguments> list() {
        return Stream.of(
                Arguments.of("default: worst state first, then name", null, null, null, List.of("api", "shop", "blog", "www", "old")),
                Arguments.of("by name", null, null, "name", List.of("api", "blog", "old", "shop", "www")),
                Arguments.of("lowest uptime first, no data last", null, null, "uptime-30d", List.of("api", "shop", "www", "blog", "old")),
                Arguments.of("slowest first, no figure last", null, null, "response", List.of("www", "blog", "shop", "api", "old")),
                Arguments.of("problems only", null, "problems", null, List.of("api", "shop")),
                Arguments.of("paused only", null, "paused", null, List.of("old")),
                Arguments.of("text matches name or URL, any case", "SHOP.exa", null, null, List.of("shop")),
                Arguments.of("unknown sort and filter fall back", null, "bogus", "bogus", List.of("api", "shop", "blog", "www", "old")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void list(String name, String text, String filter, String sort, List<String> expected) {
        List<MonitorSummary> all = List.of(summary(1, "www", Health.UP, 1000, 1, 300), summary(2, "api", Health.DOWN, 1000, 100, null),
                summary(3, "blog", Health.UP, 0, 0, 200), summary(4, "shop", Health.PARTIAL, 1000, 10, 150),
                summary(5, "old", Health.PAUSED, 0, 0, null));
        MonitorList list = MonitorList.of(all, MonitorList.Query.of(text, filter, sort, null));
        assertEquals(expected, list.shown().stream().map(MonitorSummary::name).toList());
        assertEquals(new MonitorList.Counts(5, 2, 2, 1), list.counts());
    }

    @Test
    void pagesOfAHundredWithLinksThatKeepTheQuery() {
        List<MonitorSummary> all = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            all.add(summary(i, String.format("m%03d", i), Health.UP, 10, 0, 100));
        }
        MonitorList last = MonitorList.of(all, MonitorList.Query.of("m", "up", "name", 7));
        assertEquals(3, last.pages());
        assertEquals(3, last.pageNumber());
        assertEquals(50, last.shown().size());
        assertEquals("m200", last.shown().get(0).name());
        assertEquals("?sort=name&q=m&state=up&page=1", last.previous());
        assertNull(last.next());
    }

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    static Stream<Arguments> publicWording() {
        var whole = new PublicIncident.Where("WHOLE", List.of("eu-west", "us-east"), List.of(), Map.of(), List.of());
        var region = new PublicIncident.Where("REGIONS", List.of("ap-south"), List.of(), Map.of(), List.of());
        var resolver = new PublicIncident.Where("RESOLVER", List.of("eu-west"), List.of("8.8.8.8"), Map.of("8.8.8.8", List.of("203.0.113.7")), List.of());
        var address = new PublicIncident.Where("ADDRESS", List.of("eu-west"), List.of(), Map.of("system", List.of("203.0.113.9")), List.of());
        var pop = new PublicIncident.Where("CDN_NODE", List.of("eu-west"), List.of(), Map.of(), List.of("FRA"));
        var mixed = new PublicIncident.Where("MIXED", List.of("eu-west"), List.of("system"), Map.of(), List.of());
        return Stream.of(
                Arguments.of("outage, resolved", "outage", whole, false, 720L, "Outage: Shop", "Shop could not be reached. Resolved after 12 min."),
                Arguments.of("outage, ongoing", "outage", whole, false, null, "Outage: Shop", "Shop could not be reached. Ongoing for 1 h; we are on it."),
                Arguments.of("one region: regions are public", "partial", region, false, 300L, "Partial outage: Shop",
                        "Shop could not be reached from ap-south; other regions were unaffected. Resolved after 5 min."),
                Arguments.of("one resolver, no details", "partial", resolver, false, 300L, "Partial outage: Shop",
                        "Some visitors could not reach Shop, depending on the DNS service they use. Resolved after 5 min."),
                Arguments.of("one resolver, details opted in", "partial", resolver, true, 300L, "Partial outage: Shop",
                        "Some visitors could not reach Shop, depending on the DNS service they use. Affected: resolver 8.8.8.8 (answered 203.0.113.7). Resolved after 5 min."),
                Arguments.of("one address, details opted in", "partial", address, true, 300L, "Partial outage: Shop",
                        "Some visitors could not reach Shop, depending on the DNS service they use. Affected: addresses 203.0.113.9. Resolved after 5 min."),
                Arguments.of("CDN node, no details", "partial", pop, false, 60L, "Partial outage: Shop",
                        "Visitors served by some CDN locations could not reach Shop. Resolved after 1 min."),
                Arguments.of("CDN node, details", "partial", pop, true, 60L, "Partial outage: Shop",
                        "Visitors served by some CDN locations could not reach Shop. Affected: CDN node FRA. Resolved after 1 min."),
                Arguments.of("scattered failures", "partial", mixed, false, 45L, "Partial outage: Shop",
                        "Some requests to Shop failed in eu-west. Resolved after 45 s."),
                Arguments.of("flapping", "flapping", whole, false, 5400L, "Intermittent errors: Shop",
                        "Shop was intermittently unavailable. Resolved after 1 h 30 min."),
                Arguments.of("slow", "degraded", whole, false, 90000L, "Slow responses: Shop", "Shop responded slowly. Resolved after 1 d 1 h."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void publicWording(String name, String kind, PublicIncident.Where where, boolean details, Long seconds, String title, String body) {
        Instant resolved = seconds == null ? null : T0.plusSeconds(seconds);
        PublicIncident i = PublicIncident.of("k1", "Shop", kind, where, details, T0, resolved, T0.plusSeconds(3600));
        assertEquals(title, i.title());
        assertEquals(body, i.body());
        assertEquals(seconds == null, i.ongoing());
    }

    @Test
    void atomFeedEscapesTextAndDatesEntriesByTheirLastChange() throws Exception {
        var where = new PublicIncident.Where("WHOLE", List.of(), List.of(), Map.of(), List.of());
        Instant now = T0.plusSeconds(7200);
        PublicIncident open = PublicIncident.of("aa11", "Shop <&> \"Co\"", "outage", where, false, T0.plusSeconds(3600), null, now);
        PublicIncident over = PublicIncident.of("bb22", "Shop <&> \"Co\"", "degraded", where, false, T0, T0.plusSeconds(600), now);
        PublicPage page = new PublicPage("acme", "https://gw.example/status/acme", "Acme & Sons", null,
                PublicPage.Overall.of(List.of()), List.of(), List.of(open, over), T0.minusSeconds(86400), List.of());
        String xml = AtomFeed.of(page);
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        var doc = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
        assertEquals("Acme & Sons: incidents", text(doc.getDocumentElement(), "title"));
        assertEquals("2026-11-20T11:00:00Z", text(doc.getDocumentElement(), "updated"), "the newest change: the open outage's start");
        var entries = doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry");
        var first = (org.w3c.dom.Element) entries.item(0);
        assertEquals("Outage: Shop <&> \"Co\"", text(first, "title"));
        assertEquals("https://gw.example/status/acme#incident-aa11", text(first, "id"));
        assertEquals("Shop <&> \"Co\" could not be reached. Ongoing since 2026-11-20 11:00:00 UTC; we are on it.", text(first, "summary"));
        var second = (org.w3c.dom.Element) entries.item(1);
        assertEquals("Slow responses: Shop <&> \"Co\" (resolved)", text(second, "title"));
        assertEquals("2026-11-20T10:00:00Z", text(second, "published"));
        assertEquals("2026-11-20T10:10:00Z", text(second, "updated"));
        assertEquals("Shop <&> \"Co\" responded slowly. Resolved after 10 min.", text(second, "summary"));
        // A quiet page: the feed dates from the page's last edit, and control characters are dropped, not sent broken.
        PublicPage quiet = new PublicPage("acme", page.url(), "Acme\u0007", null, page.overall(), List.of(), List.of(), T0, List.of());
        var q = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(AtomFeed.of(quiet))));
        assertEquals("2026-11-20T10:00:00Z", text(q.getDocumentElement(), "updated"));
        assertEquals("Acme: incidents", text(q.getDocumentElement(), "title"));
    }

    private static String text(org.w3c.dom.Element parent, String child) {
        return parent.getElementsByTagNameNS("http://www.w3.org/2005/Atom", child).item(0).getTextContent();
    }

    @Test
    void badgesEscapeTheirTextAndGrowWithIt() {
        String svg = new Badge("uptime 30d", "99.95%", Badge.Colour.OK).svg();
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.contains("aria-label=\"uptime 30d: 99.95%\"") && svg.contains("#2e7d32"));
        String hostile = new Badge("status", "<script>\"", Badge.Colour.BAD).svg();
        assertTrue(hostile.contains("&lt;script&gt;&quot;") && !hostile.contains("<script>"));
        int narrow = Integer.parseInt(new Badge("status", "up", Badge.Colour.OK).svg().replaceAll("(?s).*?width=\"(\\d+)\".*", "$1"));
        int wide = Integer.parseInt(new Badge("status", "partial outage", Badge.Colour.BAD).svg().replaceAll("(?s).*?width=\"(\\d+)\".*", "$1"));
        assertTrue(wide > narrow + 50, narrow + " vs " + wide);
    }
}
