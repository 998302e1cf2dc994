package dev.gatewatch.bench;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatewatch.config.EmbeddedPostgres;
import dev.gatewatch.support.History;

/**
 * The dashboard with real volumes: the packaged jar (API role only) against an embedded PostgreSQL holding one owner
 * with N monitors (default 1,000), 90 days of daily and hourly per-monitor rollups, four live streams per monitor,
 * open and past incidents, and a public status page showing every monitor. Then it times the monitor list (several
 * sorts and filters, and the htmx refresh), the status page and a badge over loopback: each figure is the whole
 * request as a client sees it, so an upper bound of the server time.
 * <p>
 * Run with {@code ./mvnw -Pbench-dashboard verify}; {@code -Dbench.monitors=1000 -Dbench.requests=200 -Dbench.heap=512m}.
 */
public final class DashboardBenchmark {

    public static void main(String[] args) throws Exception {
        int monitors = Integer.getInteger("bench.monitors", 1000);
        int requests = Integer.getInteger("bench.requests", 200);
        String heap = System.getProperty("bench.heap", "512m");
        int hold = Integer.getInteger("bench.hold", 0);
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -Pbench-dashboard verify (it packages first)");
        }
        Process app = null;
        try (EmbeddedPostgres pg = PackagedApp.database()) {
            int port = PackagedApp.freePort();
            Path log = Files.createTempFile("gatewatch-bench-dashboard", ".log");
            app = PackagedApp.start(jar, heap, pg, "api", port, log);
            System.out.printf("app pid %d on port %d, log %s%n", app.pid(), port, log);
            String base = "http://127.0.0.1:" + port;
            Web web = new Web(base);
            web.awaitUp(app);
            String token = web.signUp();
            List<Long> ids = createMonitors(web, token, monitors);
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "")) {
                seed(c, ids);
            }
            System.out.printf("seeded %d monitors with 90 days of history in %.1f s%n", monitors, (System.nanoTime() - t0) / 1e9);
            String slug = "bench";
            StringBuilder groups = new StringBuilder();
            for (int g = 0; g < 10; g++) {
                groups.append(g == 0 ? "" : ",").append("{\"name\":\"Group ").append(g).append("\",\"monitors\":[");
                for (int i = g; i < ids.size(); i += 10) {
                    groups.append(i == g ? "" : ",").append("{\"monitorId\":").append(ids.get(i)).append('}');
                }
                groups.append("]}");
            }
            web.api("PUT", "/api/v1/status-page", token, "{\"slug\":\"" + slug + "\",\"title\":\"Bench status\",\"enabled\":true,\"groups\":["
                    + groups + "]}", 200);

            Map<String, String[]> pages = new LinkedHashMap<>();
            pages.put("monitor list, default (state, worst first), page 1 of " + (monitors + 99) / 100, new String[] {"/", null});
            pages.put("monitor list sorted by 90-day uptime", new String[] {"/?sort=uptime-90d", null});
            pages.put("monitor list filtered to problems", new String[] {"/?state=problems", null});
            pages.put("monitor list, htmx refresh (table only)", new String[] {"/?sort=state", "HX-Request"});
            pages.put("public status page, all " + monitors + " monitors with 90-day strips", new String[] {"/status/" + slug, null});
            pages.put("uptime badge (30 d)", new String[] {"/status/" + slug + "/badge/" + ids.get(0) + "/uptime.svg", null});
            System.out.printf("%n| page | first request | client p50 | client p95 | client max | server p50 (data + render) | server p95 | bytes (gzip) |%n"
                    + "|---|---|---|---|---|---|---|---|%n");
            for (var e : pages.entrySet()) {
                double[] ms = new double[requests];
                double[] server = new double[requests];
                String split = "";
                double first = 0;
                long bytes = 0;
                for (int i = -20; i < requests; i++) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> r = web.get(e.getValue()[0], e.getValue()[1]);
                    double took = (System.nanoTime() - start) / 1e6;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(e.getValue()[0] + " answered " + r.statusCode());
                    }
                    if (i == -20) {
                        first = took; // cold: this node has not cached the completed days and hours yet
                    }
                    if (i >= 0) {
                        ms[i] = took;
                        bytes = r.body().length;
                        String timing = r.headers().firstValue("Server-Timing").orElse("");
                        Matcher d = Pattern.compile("(\\w+);dur=([0-9.]+)").matcher(timing);
                        while (d.find()) {
                            server[i] += Double.parseDouble(d.group(2));
                        }
                        split = timing;
                    }
                }
                Arrays.sort(ms);
                Arrays.sort(server);
                int p95 = (int) Math.ceil(requests * 0.95) - 1;
                System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s | %s | %,d |%n", e.getKey(), first, ms[requests / 2],
                        ms[p95], ms[requests - 1], split.isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f ms (last: %s)", server[requests / 2], split),
                        split.isEmpty() ? "–" : String.format(Locale.ROOT, "%.1f ms", server[p95]), bytes);
            }
            if (hold > 0) {
                System.out.printf("holding %d s: psql %s%n", hold, pg.jdbcUrl());
                Thread.sleep(hold * 1000L);
            }
        } finally {
            PackagedApp.stop(app);
        }
    }

    private static List<Long> createMonitors(Web web, String token, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    String body = web.api("POST", "/api/v1/monitors", token, "{\"name\":\"site-" + String.format("%04d", k)
                            + "\",\"url\":\"http://127.0.0.1:9/" + k + "\",\"resolvers\":[\"system\",\"127.0.0.1:53\"]}", 201);
                    Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(body);
                    m.find();
                    return Long.parseLong(m.group(1));
                }));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<Long> f : futures) {
                ids.add(f.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    /** History for every monitor, generated in the database: a few bad days, an outage here and there, blips. */
    private static void seed(Connection c, List<Long> ids) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        new History(c).partitionsSince(today.minusDays(90));
        String empty = "'{" + "0,".repeat(59) + "0}'::integer[]";
        try (Statement st = c.createStatement()) {
            st.execute("""
                    insert into monitor_rollup_day (monitor_id, bucket, checks, failures, ok_total_ms, max_ms, p50_ms, p95_ms, hist)
                    select m.id, d, 5760, f, (5760 - f) * 180::bigint, 900, 170, 400, %s
                    from monitor m, generate_series(date_trunc('day', now(), 'UTC') - interval '89 days', date_trunc('day', now(), 'UTC'),
                         interval '1 day') d, lateral (select case when random() < 0.03 then (random() * 600)::int else 0 end as f) x
                    """.formatted(empty));
            st.execute("""
                    insert into monitor_rollup_hour (monitor_id, bucket, checks, failures, ok_total_ms, max_ms, p50_ms, p95_ms, hist)
                    select m.id, h, 240, f, (240 - f) * (150 + (random() * 100)::int)::bigint, 900, 170, 400, %s
                    from monitor m, generate_series(date_trunc('hour', now()) - interval '90 days', date_trunc('hour', now()),
                         interval '1 hour') h, lateral (select case when random() < 0.01 then (random() * 240)::int else 0 end as f) x
                    """.formatted(empty));
            st.execute("""
                    insert into check_latest (monitor_id, region, resolver, result_id, started_at, ok, status, total_ms, resolved_ip)
                    select m.id, r, s, 0, now() - interval '5 seconds', m.id % 50 <> 0, case when m.id % 50 <> 0 then 200 else 502 end,
                           150 + (random() * 100)::int, '127.0.0.1'
                    from monitor m, unnest(array['eu-west', 'us-east']) r, unnest(array['system', '127.0.0.1:53']) s
                    """);
            st.execute("""
                    insert into incident (monitor_id, owner_id, track, kind, status, started_at, confirmed_at, resolved_at, extent,
                        summary, scope, evidence, explanation)
                    select m.id, m.owner_id, 'availability', k, 'resolved', t, t + interval '1 minute', t + interval '20 minutes',
                           'whole', 'seeded', '{"extent":"WHOLE"}', '{}', '{}'
                    from monitor m, generate_series(1, 10) n,
                         lateral (select now() - random() * interval '90 days' as t,
                                         (array['outage', 'partial', 'deploy_blip', 'transient'])[1 + (random() * 3)::int] as k) x
                    """);
            st.execute("""
                    insert into incident (monitor_id, owner_id, track, kind, status, started_at, confirmed_at, extent, summary, scope,
                        evidence, explanation)
                    select m.id, m.owner_id, 'availability', 'outage', 'open', now() - interval '10 minutes', now() - interval '9 minutes',
                           'whole', 'seeded outage', '{"extent":"WHOLE"}', '{}', '{}'
                    from monitor m where m.id % 50 = 0
                    """);
            st.execute("analyze");
        }
    }

    /** A browser's worth of HTTP: cookies, the CSRF field, form login. */
    static final class Web {
        private final String base;
        private final CookieManager cookies = new CookieManager();
        private final HttpClient http;

        Web(String base) {
            this.base = base;
            this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }

        void awaitUp(Process app) throws Exception {
            for (int i = 0; i < 600; i++) {
                if (!app.isAlive()) {
                    throw new IllegalStateException("the app exited with " + app.exitValue());
                }
                try {
                    if (get("/login", null).statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException starting) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("the app did not start in 120 s");
        }

        String signUp() throws Exception {
            get("/signup", null);
            String csrf = cookies.getCookieStore().getCookies().stream().filter(k -> k.getName().equals("gw-csrf")).findFirst()
                    .orElseThrow().getValue();
            form("/signup", Map.of("email", "bench@example.com", "password", "bench-password-long", "csrf", csrf));
            form("/login", Map.of("email", "bench@example.com", "password", "bench-password-long", "csrf", csrf));
            String page = new String(form("/account/tokens", Map.of("name", "bench", "csrf", csrf)).body(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("id=\"new-token\" class=\"secret\">(gw_[A-Za-z0-9_-]+)<").matcher(page);
            if (!m.find()) {
                throw new IllegalStateException("no token on the token page");
            }
            return m.group(1);
        }

        HttpResponse<byte[]> get(String path, String header) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Encoding", "gzip");
            if (header != null) {
                b.header(header, "true");
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        HttpResponse<byte[]> form(String path, Map<String, String> fields) throws Exception {
            StringBuilder body = new StringBuilder();
            fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        String api(String method, String path, String token, String json, int expected) throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }
    }
}
