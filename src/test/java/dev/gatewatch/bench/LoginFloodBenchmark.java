package dev.gatewatch.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpServer;

import dev.gatewatch.config.EmbeddedPostgres;

/**
 * A login flood against one node that also checks sites: the packaged jar (api, checker, analyzer) checks N monitors
 * of a loopback target every 10 s while the API is asked for the monitor list ten times a second; then T threads post
 * wrong passwords for made-up e-mails as fast as they can, each from a different client address (X-Forwarded-For,
 * with proxy forwarding on, as behind a load balancer), so only the bounded hashing pool stands in the way, not the
 * per-address throttle. Reports, quiet and flooded: API latency, checks a second reaching the target, and how the
 * logins were answered.
 * <p>
 * Run with {@code ./mvnw -Pbench-logins verify}; {@code -Dbench.monitors=100 -Dbench.threads=64 -Dbench.seconds=40}.
 */
public final class LoginFloodBenchmark {

    public static void main(String[] args) throws Exception {
        int monitors = Integer.getInteger("bench.monitors", 100);
        int threads = Integer.getInteger("bench.threads", 64);
        int seconds = Integer.getInteger("bench.seconds", 40);
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -Pbench-logins verify (it packages first)");
        }
        LongAdder hits = new LongAdder();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        target.createContext("/", exchange -> {
            hits.increment();
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
            exchange.close();
        });
        ExecutorService serving = Executors.newFixedThreadPool(4);
        target.setExecutor(serving);
        target.start();
        Process app = null;
        try (EmbeddedPostgres pg = PackagedApp.database()) {
            int port = PackagedApp.freePort();
            Path log = Files.createTempFile("gatewatch-bench-logins", ".log");
            app = PackagedApp.start(jar, "512m", pg, "api,checker,analyzer", port, log, Map.of(
                    "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true", "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true"));
            System.out.printf("app pid %d on port %d, log %s%n", app.pid(), port, log);
            String base = "http://127.0.0.1:" + port;
            DashboardBenchmark.Web web = new DashboardBenchmark.Web(base);
            web.awaitUp(app);
            String token = web.signUp();
            for (int i = 0; i < monitors; i++) {
                web.api("POST", "/api/v1/monitors", token, "{\"name\":\"site-" + i + "\",\"url\":\"http://127.0.0.1:"
                        + target.getAddress().getPort() + "/" + i + "\",\"intervalSeconds\":10,\"resolvers\":[\"system\"]}", 201);
            }
            Thread.sleep(25_000); // every monitor checked a couple of times: the cadence has settled
            Phase quiet = run(base, token, hits, seconds, 0);
            Phase flood = run(base, token, hits, seconds, threads);
            System.out.printf(Locale.ROOT, """

                    ==== login flood: %d monitors every 10 s, API polled 10/s, %d s a phase, 2-core box ====
                    | phase | API p50 | API p99 | API max | API errors | checks/s at the target | logins sent/s | 401 | 503 busy | 429 | other |
                    |---|---|---|---|---|---|---|---|---|---|---|
                    %s
                    %s
                    login answers by status (-1: no answer): %s
                    """, monitors, seconds, quiet.row("quiet"), flood.row(threads + " threads of logins"), new java.util.TreeMap<>(flood.statuses()));
        } finally {
            PackagedApp.stop(app);
            target.stop(0);
            serving.shutdownNow();
        }
    }

    private record Phase(double[] api, long apiErrors, double checksPerSecond, double loginsPerSecond, Map<Integer, Long> statuses) {
        String row(String name) {
            long other = statuses.entrySet().stream().filter(e -> !List.of(401, 503, 429).contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
            return String.format(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.1f ms | %d | %.1f | %.1f | %d | %d | %d | %d |", name,
                    pct(api, 0.50), pct(api, 0.99), api.length == 0 ? 0 : api[api.length - 1], apiErrors, checksPerSecond, loginsPerSecond,
                    statuses.getOrDefault(401, 0L), statuses.getOrDefault(503, 0L), statuses.getOrDefault(429, 0L), other);
        }
    }

    private static double pct(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static Phase run(String base, String token, LongAdder hits, int seconds, int threads) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        AtomicBoolean stop = new AtomicBoolean();
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        AtomicLong logins = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    String address = "198.51.100." + r.nextInt(1, 255) + ", 203.0.113." + r.nextInt(1, 255);
                    String form = "email=flood-" + r.nextLong(Long.MAX_VALUE) + "%40example.com&password=wrong-password-123&csrf=benchbenchbenchbench";
                    try {
                        HttpResponse<Void> resp = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", address)
                                .header("Cookie", "gw-csrf=benchbenchbenchbench").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        statuses.merge(resp.statusCode(), 1L, Long::sum);
                    } catch (Exception e) {
                        statuses.merge(-1, 1L, Long::sum);
                    }
                    logins.incrementAndGet();
                }
                return null;
            });
        }
        List<Double> api = new ArrayList<>();
        long errors = 0;
        long checksBefore = hits.sum();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/monitors?size=50"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    errors++;
                }
            } catch (Exception e) {
                errors++;
            }
            api.add((System.nanoTime() - t0) / 1e6);
            long next = t0 + 100_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long checks = hits.sum() - checksBefore;
        stop.set(true);
        pool.shutdownNow();
        pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        return new Phase(api.stream().mapToDouble(Double::doubleValue).sorted().toArray(), errors, checks / elapsed, logins.get() / elapsed,
                Map.copyOf(statuses));
    }
}
