package dev.gatewatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.History;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The monitor page over seeded history (no checker or analyzer runs here): charts per region and per resolver from the
 * minute or hour rollups by range, deployment marker, incident evidence, timing breakdown, strip, the htmx fragment,
 * owner scoping; and the regions page.
 */
@QuarkusTest
class MonitorPageTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void showsHistoryEvidenceAndLiveStateOfOneMonitor() {
        TestOwner owner = Owners.create();
        long id = ((Number) owner.api().body("{\"name\":\"Detail shop\",\"url\":\"http://127.0.0.1:9/detail\"}")
                .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        seed(dataSource, id, now);
        owner.api().body("{\"monitorIds\":[" + id + "],\"version\":\"v9.8.7\",\"description\":\"release train\",\"startedAt\":\""
                + now.minus(Duration.ofMinutes(50)) + "\"}").post("/api/v1/deployments").then().statusCode(201);

        long started = System.nanoTime();
        String page = owner.web().get("/monitors/" + id).then().statusCode(200).extract().asString();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("monitor page (24h) rendered in " + millis + " ms, " + page.length() + " characters");
        writeForLooking("monitor-page.html", page);

        // header: name, URL, state, open incident, actions
        assertTrue(page.contains("<h1 id=\"monitor-heading\">Detail shop</h1>"), page);
        assertTrue(page.contains("http://127.0.0.1:9/detail"));
        assertTrue(page.contains("class=\"pill pill-suspect\">Failing, confirming</span>"), "a failing newest check the analyzer has not judged");
        assertTrue(page.contains("<strong>Slow responses</strong>"));
        assertTrue(page.contains("href=\"/monitors/" + id + "/edit\""));
        assertTrue(page.contains("action=\"/monitors/" + id + "/pause\""));
        assertTrue(page.contains("name=\"csrf\" value=\"" + owner.csrf() + "\""));

        // charts: one series per region and per resolver, from the minute rollups for 24 h
        String byRegion = figure(page, "by-region");
        String byResolver = figure(page, "by-resolver");
        assertTrue(byRegion.contains("<strong>eu-west</strong>") && byRegion.contains("<strong>us-east</strong>"), byRegion);
        assertTrue(byResolver.contains("<strong>system</strong>") && byResolver.contains("<strong>1.1.1.1</strong>"), byResolver);
        assertFalse(byRegion.contains("ap-south"), "hourly-only history is not in the 24 h chart");
        assertTrue(byRegion.contains("<path class=\"line series-0\""));
        assertTrue(byRegion.contains("role=\"img\" aria-label=\"Response time per region"));
        // eu-west: 120 ms everywhere; us-east 200 ms through system and 300 ms through 1.1.1.1
        assertTrue(byRegion.contains("average 120 ms, 120–120 ms"), byRegion);
        assertTrue(byRegion.contains("average 250 ms, 250–250 ms"), byRegion);
        assertTrue(byResolver.contains("average 160 ms, 160–160 ms"), byResolver);
        assertTrue(byRegion.contains("eu-west: 120 ms (p95 ≤ 120 ms, 10 checks)"), "tooltips give each bucket's figures");
        // the deployment marker and the incidents as bands
        assertTrue(byRegion.contains(">v9.8.7</text>"), byRegion);
        assertTrue(byRegion.contains("<title>Deployment v9.8.7: release train, started "));
        assertTrue(Pattern.compile("<rect class=\"band band-severe\"[^>]*><title>Partial outage, 30 min: One resolver").matcher(byRegion).find(), byRegion);
        assertTrue(Pattern.compile("<rect class=\"band band-light\"[^>]*><title>Deploy blip, 10–35 s: Deploy blip").matcher(byRegion).find());
        assertTrue(byRegion.contains("<summary>Response time per region as a table</summary>"));

        // newest check per stream
        String streams = section(page, "id=\"streams\"");
        assertTrue(streams.contains("<th scope=\"col\">1.1.1.1</th>") && streams.contains("<th scope=\"row\">us-east</th>"), streams);
        assertTrue(streams.contains("Failed 502"));
        assertTrue(streams.contains("IP 127.0.0.3 · POP AMS"));

        // timing breakdown: the newest 20 checks with their numbers
        assertEquals(20, count(page, "data-result="));
        assertTrue(page.contains("DNS 11 ms, connect 22 ms, TLS 33 ms, TTFB 144 ms, download 5 ms"));
        assertTrue(page.contains("<rect class=\"ph-ttfb\" x=\"30.70\" y=\"0\" width=\"66.98\" height=\"10\"/>"), "phases scaled to the slowest");
        assertTrue(page.contains("<td class=\"num\">215 ms</td>"));

        // strip of 90 days with uptime figures
        Matcher strip = Pattern.compile("<div class=\"strip\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(page);
        assertTrue(strip.find());
        assertEquals(90, count(strip.group(1), "<span class=\"day-"));
        assertEquals(1, count(strip.group(1), "<span class=\"day-bad\""), "the one bad day");
        assertTrue(strip.group(1).contains("(144 of 1,440 checks failed)"));
        assertTrue(page.contains("<dt>90 d</dt><dd class=\"up-warn\">99.88%</dd>"), "89 good days and one at 90%");

        // incidents and blips, newest first, with explanation and evidence
        String timeline = section(page, "id=\"timeline-heading\"");
        int blip = timeline.indexOf("data-kind=\"deploy_blip\"");
        int partial = timeline.indexOf("data-kind=\"partial\"");
        assertTrue(blip > 0 && partial > blip, "newest first");
        assertTrue(timeline.contains("class=\"incident tone-light\" data-incident"), "blips look lighter");
        assertTrue(timeline.contains("class=\"incident tone-severe\" data-incident"));
        assertTrue(timeline.contains("lasted 10–35 s"), "a blip's bounds: first to last failing check, last passing check before to recovery");
        for (String evidence : new String[] {"nginx at the origin answered 502", "dig @1.1.1.1 detail.test", "<li>1.1.1.1: 127.0.0.3</li>",
                "<dt>Healthy addresses</dt><dd>127.0.0.2</dd>", "<dt>CDN POPs with failures</dt><dd>AMS</dd>", "<dt>Healthy CDN POPs</dt><dd>FRA</dd>",
                "<dt>Status codes</dt><dd>502</dd>", "<dt>Error classes</dt><dd>connect_refused</dd>",
                "<dt>Who generated the errors</dt><dd>origin:nginx (3)</dd>", "<dt>Failing regions</dt><dd>us-east</dd>",
                "<td>us-east via 1.1.1.1</td><td>HTTP 502 (nginx)</td><td>127.0.0.3</td><td>AMS</td>", "opened: Partial outage confirmed"}) {
            assertTrue(timeline.contains(evidence), evidence + " in " + timeline);
        }

        // 90 days: hour rollups, so history older than the minute rollups' 3 days shows
        started = System.nanoTime();
        String quarter = owner.web().get("/monitors/" + id + "?range=90d").then().statusCode(200).extract().asString();
        System.out.println("monitor page (90d) rendered in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        String quarterRegions = figure(quarter, "by-region");
        assertTrue(quarterRegions.contains("<strong>ap-south</strong>"), quarterRegions);
        assertTrue(figure(quarter, "by-resolver").contains("<strong>9.9.9.9</strong>"));
        assertFalse(quarterRegions.contains("<strong>eu-west</strong>"), "the minute rollups are not read for 90 days");
        assertTrue(quarterRegions.contains("average 400 ms"));
        assertTrue(quarter.contains("href=\"/monitors/" + id + "?range=90d#response-heading\" aria-label=\"last 90 days\" aria-current=\"page\""));
        // an unknown range falls back to 24 hours
        assertTrue(owner.web().get("/monitors/" + id + "?range=forever").then().statusCode(200).extract().asString()
                .contains("?range=24h#response-heading\" aria-label=\"last 24 hours\" aria-current=\"page\""));

        // the htmx poll gets only the state and the streams (swapped out of band)
        String fragment = owner.web().header("HX-Request", "true").get("/monitors/" + id).then().statusCode(200)
                .header("Vary", "HX-Request").extract().asString();
        assertTrue(fragment.strip().startsWith("<div id=\"monitor-state\" hx-get=\"/monitors/" + id + "\" hx-trigger=\"every 10s\""), fragment);
        assertTrue(fragment.contains("<section id=\"streams\" class=\"card\" hx-swap-oob=\"true\""));
        assertTrue(fragment.contains("IP 127.0.0.3 · POP AMS"));
        assertFalse(fragment.contains("<html") || fragment.contains("<svg class=\"chart\"") || fragment.contains("Timing of recent checks"), fragment);
        assertFalse(page.contains("hx-swap-oob=\"true\""), "the full page swaps nothing out of band");

        // other owners get nothing
        TestOwner other = Owners.create();
        other.web().get("/monitors/" + id).then().statusCode(404);
        other.web().header("HX-Request", "true").get("/monitors/" + id).then().statusCode(404);
        other.web().get("/monitors/" + id + "?range=90d").then().statusCode(404);
    }

    @Test
    void newMonitorWithoutHistorySaysSo() {
        TestOwner owner = Owners.create();
        long id = ((Number) owner.api().body("{\"name\":\"Fresh\",\"url\":\"http://127.0.0.1:9/fresh\"}")
                .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        owner.api().post("/api/v1/monitors/" + id + "/pause").then().statusCode(200);
        String page = owner.web().get("/monitors/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("class=\"pill pill-paused\">Paused</span>"));
        assertTrue(page.contains("action=\"/monitors/" + id + "/resume\""));
        assertEquals(2, count(page, ">No data for this range</text>"));
        assertTrue(page.contains("aria-label=\"Response time per resolver, ") && page.contains("UTC: no data.\""));
        assertTrue(page.contains("No checks yet."));
        assertTrue(page.contains("Nothing happened in the last 90 days."));
        assertEquals(90, count(page, "<span class=\"day-none\""));
        owner.web().get("/monitors/999999999").then().statusCode(404);
    }

    @Test
    void regionsPageListsCheckerNodes() {
        TestOwner owner = Owners.create();
        String node = "node-" + UUID.randomUUID();
        String region = "zz-test-" + UUID.randomUUID().toString().substring(0, 8);
        Sql.update(dataSource, """
                insert into checker_node (id, region, host, version, started_at, last_seen_at, in_flight, checks_per_minute, buffered, dropped)
                values (?, ?, 'checker-host-7', '9.9.9-test', now() - interval '2 hours', now(), 3, 1234, 7, 5)
                """, node, region);
        try {
            String page = owner.web().get("/regions").then().statusCode(200).extract().asString();
            Matcher m = Pattern.compile("<section class=\"region\" data-region=\"" + region + "\".*?</section>", Pattern.DOTALL).matcher(page);
            assertTrue(m.find(), page);
            String section = m.group();
            assertTrue(section.contains("<span class=\"pill pill-up\">Live</span>"), section);
            for (String cell : new String[] {"<code>" + node + "</code>", "<td>checker-host-7</td>", "<td>9.9.9-test</td>",
                    "<td class=\"num\">3</td>", "<td class=\"num\">1234</td>", "<td class=\"num\">7</td>", "<td class=\"num up-bad\">5</td>", "2 h ago"}) {
                assertTrue(section.contains(cell), cell + " in " + section);
            }
            String fragment = owner.web().header("HX-Request", "true").get("/regions").then().statusCode(200).extract().asString();
            assertTrue(fragment.strip().startsWith("<div id=\"regions\" class=\"regions\" hx-get=\"/regions\" hx-trigger=\"every 5s\""));
            assertTrue(fragment.contains(node));
            assertFalse(fragment.contains("<html"));

            Sql.update(dataSource, "update checker_node set last_seen_at = now() - interval '5 minutes' where id = ?", node);
            String silent = owner.web().get("/regions").then().statusCode(200).extract().asString();
            Matcher s = Pattern.compile("<section class=\"region\" data-region=\"" + region + "\".*?</section>", Pattern.DOTALL).matcher(silent);
            assertTrue(s.find());
            assertTrue(s.group().contains("<span class=\"pill pill-down\">Silent</span>") && Pattern.compile("since 5 min( \\d+ s)? ago").matcher(s.group()).find(), s.group());
        } finally {
            Sql.update(dataSource, "delete from checker_node where id = ?", node);
        }
    }

    /**
     * Six hours of minute rollups from 2 regions × 2 resolvers, older hour rollups, 90 days with one bad one, recent
     * checks, the newest check per stream (one failing through a CDN POP), a resolved partial outage with its evidence, a
     * deploy blip and an open latency incident: what a busy monitor's page shows. The browser tests use it too.
     */
    static void seed(AgroalDataSource dataSource, long id, Instant now) {
        try (var c = dataSource.getConnection()) {
            new History(c).partitionsSince(LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(100));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        OffsetDateTime t = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        // The checker may have stored the new monitor's first check already: the seeded rows replace what it rolled up.
        // Minute rollups for the last 6 hours: 2 regions × 2 resolvers, one check each per minute.
        Sql.update(dataSource, """
                insert into check_rollup_minute (monitor_id, bucket, region, resolver, checks, failures, ok_total_ms, max_ms, p50_ms, p95_ms, hist)
                select ?, date_trunc('minute', ?::timestamptz) - m * interval '1 minute', s.region, s.resolver, 1, 0, s.ms, s.ms, s.ms, s.ms,
                       array_fill(0, array[s.pos - 1]) || 1 || array_fill(0, array[60 - s.pos])
                from generate_series(1, 360) m,
                     (values ('eu-west', 'system', 120, 23), ('eu-west', '1.1.1.1', 120, 23),
                             ('us-east', 'system', 200, 25), ('us-east', '1.1.1.1', 300, 27)) s(region, resolver, ms, pos)
                on conflict (monitor_id, bucket, region, resolver) do update set checks = excluded.checks, failures = excluded.failures,
                    ok_total_ms = excluded.ok_total_ms, max_ms = excluded.max_ms, p50_ms = excluded.p50_ms, p95_ms = excluded.p95_ms, hist = excluded.hist
                """, id, t);
        // Hour rollups only, 40 to 35 days ago, from a region and resolver the minute rollups never saw.
        Sql.update(dataSource, """
                insert into check_rollup_hour (monitor_id, bucket, region, resolver, checks, failures, ok_total_ms, max_ms, p50_ms, p95_ms, hist)
                select ?, date_trunc('hour', ?::timestamptz) - h * interval '1 hour', 'ap-south', '9.9.9.9', 60, 0, 24000, 400, 400, 400,
                       array_fill(0, array[28]) || 60 || array_fill(0, array[31])
                from generate_series(35 * 24, 40 * 24) h
                on conflict (monitor_id, bucket, region, resolver) do update set checks = excluded.checks, failures = excluded.failures,
                    ok_total_ms = excluded.ok_total_ms, max_ms = excluded.max_ms, p50_ms = excluded.p50_ms, p95_ms = excluded.p95_ms, hist = excluded.hist
                """, id, t);
        // 90 days of daily uptime, one of them bad, and the last day by the hour.
        Sql.update(dataSource, """
                insert into monitor_rollup_day (monitor_id, bucket, checks, failures, ok_total_ms, hist)
                select ?, date_trunc('day', ?::timestamptz, 'UTC') - d * interval '1 day', 1440, case when d = 10 then 144 else 0 end, 0,
                       array_fill(0, array[60])
                from generate_series(0, 89) d
                on conflict (monitor_id, bucket) do update set checks = excluded.checks, failures = excluded.failures,
                    ok_total_ms = excluded.ok_total_ms, hist = excluded.hist
                """, id, t);
        Sql.update(dataSource, """
                insert into monitor_rollup_hour (monitor_id, bucket, checks, failures, ok_total_ms, hist)
                select ?, date_trunc('hour', ?::timestamptz) - h * interval '1 hour', 60, 0, 60 * 160, array_fill(0, array[60])
                from generate_series(0, 23) h
                on conflict (monitor_id, bucket) do update set checks = excluded.checks, failures = excluded.failures,
                    ok_total_ms = excluded.ok_total_ms, hist = excluded.hist
                """, id, t);
        // 25 raw results in the last minutes; the page shows the newest 20.
        Sql.update(dataSource, """
                with c as (insert into result_checker (checker_id, region) values ('test', 'eu-west')
                           on conflict (checker_id, region) do update set region = excluded.region returning id),
                     v as (insert into result_resolver (resolver) values ('system')
                           on conflict (resolver) do update set resolver = excluded.resolver returning id)
                insert into check_result (monitor_id, checker_key, resolver_key, due_at, started_at, ok, status, dns_ms, connect_ms, tls_ms,
                                          ttfb_ms, download_ms, total_ms, resolved_ip, cdn_provider, cdn_pop)
                select ?, (select id from c), (select id from v), ?::timestamptz - n * interval '10 seconds', ?::timestamptz - n * interval '10 seconds',
                       true, 200, 11, 22, 33, 144, 5, case when n = 3 then 215 else 200 end, '127.0.0.2', 'cloudflare', 'FRA'
                from generate_series(1, 25) n
                """, id, t, t);
        Sql.update(dataSource, """
                insert into check_latest (monitor_id, region, resolver, result_id, started_at, ok, status, error_class, total_ms, resolved_ip, cdn_pop)
                values (?, 'eu-west', 'system', 1, ?, true, 200, null, 120, '127.0.0.2', 'FRA'),
                       (?, 'eu-west', '1.1.1.1', 2, ?, true, 200, null, 121, '127.0.0.2', 'FRA'),
                       (?, 'us-east', 'system', 3, ?, true, 200, null, 201, '127.0.0.2', 'FRA'),
                       (?, 'us-east', '1.1.1.1', 4, ?, false, 502, 'assertion_failed', 301, '127.0.0.3', 'AMS')
                """, id, t, id, t, id, t, id, t);
        // A resolved partial outage 2 h ago, a deploy blip 30 min ago, and an open latency incident.
        long partial = insertIncident(dataSource, id, "availability", "partial", "resolved", t.minusHours(2), t.minusHours(2).plusMinutes(30), "resolver",
                "One resolver sends visitors to a dead node",
                """
                {"extent":"RESOLVER","regions":["us-east"],"resolvers":["1.1.1.1"],"addresses":{"1.1.1.1":["127.0.0.3"]},
                 "healthyAddresses":["127.0.0.2"],"pops":["AMS"],"healthyPops":["FRA"],"failingStreams":1,"streams":4,
                 "liveRegions":["eu-west","us-east"],"quorum":false}""",
                """
                {"failures":3,"statuses":[502],"errorClasses":["connect_refused"],"layers":{"origin:nginx":3},"blipKind":false,
                 "first":[{"resultId":77,"region":"us-east","resolver":"1.1.1.1","at":"%s","ok":false,"status":502,"errorClass":null,
                           "totalMs":301,"resolvedIp":"127.0.0.3","cdnProvider":"cloudflare","cdnPop":"AMS","errorSource":"ORIGIN","generator":"nginx"}],
                 "latest":[],"slowestMs":0,"lastPassAt":null}""".formatted(t.minusHours(2).toInstant()),
                """
                {"summary":"One resolver sends visitors to a dead node","layer":"nginx at the origin answered 502",
                 "agreement":"Only checks through 1.1.1.1 fail","cause":"DNS routing to a dead node",
                 "firstStep":"Check the records (dig @1.1.1.1 detail.test)"}""");
        Sql.update(dataSource, """
                insert into incident_event (incident_id, type, kind, at, summary) values
                (?, 'suspected', 'partial', ?, 'Failing through 1.1.1.1'), (?, 'opened', 'partial', ?, 'Partial outage confirmed'),
                (?, 'recovered', 'partial', ?, 'Recovered after 30 min')
                """, partial, t.minusHours(2), partial, t.minusHours(2).plusMinutes(1), partial, t.minusHours(2).plusMinutes(30));
        insertIncident(dataSource, id, "availability", "deploy_blip", "resolved", t.minusMinutes(30), t.minusMinutes(30).plusSeconds(20), "whole",
                "Deploy blip of 10–35 s", "{\"regions\":[\"eu-west\",\"us-east\"]}",
                "{\"statuses\":[502],\"layers\":{\"origin:nginx\":4},\"lastPassAt\":\"%s\",\"lastFailAt\":\"%s\"}".formatted(
                        t.minusMinutes(30).minusSeconds(15).toInstant(), t.minusMinutes(30).plusSeconds(10).toInstant()),
                "{\"summary\":\"Deploy blip of 10–35 s\"}");
        insertIncident(dataSource, id, "latency", "degraded", "open", t.minusMinutes(5), null, "latency", "Slow: time to first byte", "{}", "{}", "{}");
    }

    private static long insertIncident(AgroalDataSource dataSource, long monitor, String track, String kind, String status, OffsetDateTime started, OffsetDateTime resolved,
            String extent, String summary, String scope, String evidence, String explanation) {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement("""
                insert into incident (monitor_id, owner_id, track, kind, status, started_at, confirmed_at, resolved_at, extent, summary,
                                      scope, evidence, explanation)
                select id, owner_id, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb from monitor where id = ? returning id
                """)) {
            Sql.bind(ps, track, kind, status, started, kind.equals("deploy_blip") ? null : started, resolved, extent, summary, scope,
                    evidence, explanation, monitor);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rendered page beside the build output, to look at in a browser (with the bundle missing, unstyled). */
    private static void writeForLooking(String name, String html) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", name), html);
        } catch (java.io.IOException e) {
            // only a convenience
        }
    }

    private static String figure(String page, String id) {
        Matcher m = Pattern.compile("<figure class=\"chart-figure\" aria-labelledby=\"" + id + "-caption\">.*?</figure>", Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "chart " + id);
        return m.group();
    }

    private static String section(String page, String marker) {
        int at = page.indexOf(marker);
        assertTrue(at >= 0, marker);
        int start = page.lastIndexOf("<section", at);
        return page.substring(start, page.indexOf("</section>", at));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
