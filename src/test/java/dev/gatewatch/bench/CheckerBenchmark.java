package dev.gatewatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.gatewatch.config.EmbeddedPostgres;
import dev.gatewatch.support.DnsResponder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The checker under load, as it runs in production: the packaged jar started as its own process with only the
 * checker role, against an embedded PostgreSQL, checking N monitors × 3 resolvers (three loopback DNS responders, each
 * sending the name to its own 127.0.0.x) with fresh connections and real persistence. Figures come from the stored
 * results (lag = started_at − due_at) and from /proc for the checker process.
 * <p>
 * Run with {@code ./mvnw -Pbench verify}; {@code -Dbench.monitors=10000 -Dbench.interval=30 -Dbench.warmup=45
 * -Dbench.seconds=60 -Dbench.heap=256m} are the defaults. {@code -Dbench.analyzer=true} also starts an analyzer (a
 * process of its own, role {@code analyzer}) and samples, every second, how many monitors have results it has not
 * judged yet and how old the oldest of those is: whether verdicts keep up with the checks.
 */
public final class CheckerBenchmark {

    public static void main(String[] args) throws Exception {
        int monitors = Integer.getInteger("bench.monitors", 10_000);
        int interval = Integer.getInteger("bench.interval", 30);
        int warmup = Integer.getInteger("bench.warmup", 45);
        int seconds = Integer.getInteger("bench.seconds", 60);
        String heap = System.getProperty("bench.heap", "256m");
        boolean withAnalyzer = Boolean.getBoolean("bench.analyzer");
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -Pbench verify (it packages first)");
        }
        Vertx vertx = Vertx.vertx();
        List<DnsResponder> resolvers = new ArrayList<>();
        Process checker = null;
        Process analyzer = null;
        try (EmbeddedPostgres pg = database()) {
            int port = targets(vertx);
            for (int i = 1; i <= 3; i++) {
                resolvers.add(DnsResponder.start("127.0.0." + i).answer("bench.gatewatch.test", "127.0.0." + i));
            }
            Path log = Files.createTempFile("gatewatch-bench-checker", ".log");
            checker = start(jar, heap, pg, "checker", 0, log);
            System.out.printf("checker pid %d, log %s%n", checker.pid(), log);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "")) {
                awaitNode(c, checker);
                if (withAnalyzer) {
                    Path analyzerLog = Files.createTempFile("gatewatch-bench-analyzer", ".log");
                    analyzer = start(jar, heap, pg, "analyzer", 0, analyzerLog);
                    System.out.printf("analyzer pid %d, log %s%n", analyzer.pid(), analyzerLog);
                }
                seed(c, monitors, interval, port, resolvers);
                System.out.printf("seeded %d monitors × 3 resolvers, interval %d s; warming up %d s%n", monitors, interval, warmup);
                Thread.sleep(warmup * 1000L);
                long cpu0 = cpuTicks(checker.pid());
                long analyzerCpu0 = analyzer == null ? 0 : cpuTicks(analyzer.pid());
                Instant from = Instant.now();
                List<double[]> backlog = new ArrayList<>();
                for (long end = System.nanoTime() + seconds * 1_000_000_000L; System.nanoTime() < end; Thread.sleep(1000)) {
                    if (analyzer != null) {
                        backlog.add(backlog(c));
                    }
                }
                Instant to = Instant.now();
                long cpu1 = cpuTicks(checker.pid());
                long peak = status(checker.pid(), "VmHWM");
                long rss = status(checker.pid(), "VmRSS");
                double analyzerCpu = analyzer == null ? 0 : (cpuTicks(analyzer.pid()) - analyzerCpu0) / 100.0;
                long analyzerPeak = analyzer == null ? 0 : status(analyzer.pid(), "VmHWM");
                stop(analyzer); // before the database goes away
                stop(checker);
                long checks = report(c, from, to, (cpu1 - cpu0) / 100.0, peak, rss, monitors, interval, heap);
                if (!backlog.isEmpty()) {
                    reportAnalyzer(backlog, analyzerCpu, analyzerPeak, checks);
                }
            }
        } finally {
            stop(analyzer);
            stop(checker);
            resolvers.forEach(DnsResponder::close);
            vertx.close();
        }
    }

    /** The packaged jar as its own process with one role, on the benchmark's database; HTTP on {@code httpPort} (0: any). */
    /** A throwaway embedded PostgreSQL for a benchmark run. */
    static EmbeddedPostgres database() throws IOException {
        return EmbeddedPostgres.start(new EmbeddedPostgres.Settings(Files.createTempDirectory("gatewatch-bench"), 0, true, "bench"));
    }

    /** A free TCP port for the app under test. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Process start(Path jar, String heap, EmbeddedPostgres pg, String role, int httpPort, Path log) throws IOException {
        return start(jar, heap, pg, role, httpPort, log, java.util.Map.of());
    }

    static Process start(Path jar, String heap, EmbeddedPostgres pg, String role, int httpPort, Path log, java.util.Map<String, String> env)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", pg.username());
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", "");
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", "0"); // several processes on one machine: each its own free port
        pb.environment().put("GATEWATCH_ROLES", role);
        pb.environment().put("GATEWATCH_CHECKER_REGION", "bench");
        pb.environment().put("GATEWATCH_TARGETS_ALLOW", "127.0.0.0/8");
        pb.environment().putAll(env);
        return pb.start();
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            p.waitFor();
        }
    }

    /** Monitors with results the analyzer has not judged yet, and the age in seconds of the oldest such result (since its check ended). */
    static double[] backlog(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                select count(distinct l.monitor_id), coalesce(extract(epoch from now() - min(l.started_at + l.total_ms * interval '1 millisecond')), 0)
                from check_latest l join analysis_state a on a.monitor_id = l.monitor_id
                where l.result_id > a.last_result_id
                """)) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    static void reportAnalyzer(List<double[]> samples, double cpuSeconds, long peakRssKb, long checks) {
        double[] monitors = samples.stream().mapToDouble(s -> s[0]).sorted().toArray();
        double[] ages = samples.stream().mapToDouble(s -> s[1]).sorted().toArray();
        System.out.printf(Locale.ROOT, """
                ==== analyzer (its own process, same database) ====
                samples                      %d (one a second)
                monitors not yet judged      p50 %.0f, max %.0f
                oldest unjudged result age   p50 %.1f s, p99 %.1f s, max %.1f s (from the check's end); over 5 s in %d samples
                CPU per 1000 checks          %.2f s (analyzer process)
                RSS peak                     %d MiB (analyzer process)
                """, samples.size(), quantile(monitors, 0.5), quantile(monitors, 1), quantile(ages, 0.5), quantile(ages, 0.99),
                quantile(ages, 1), Arrays.stream(ages).filter(a -> a > 5).count(), checks == 0 ? 0 : cpuSeconds * 1000 / checks,
                peakRssKb / 1024);
    }

    /** Nearest-rank quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /** A trivial target on 127.0.0.1-3, all on one port, so the resolvers' answers all lead somewhere that answers. */
    static int targets(Vertx vertx) throws Exception {
        int port = 0;
        for (int i = 1; i <= 3; i++) {
            {
                HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0." + i).setPort(port))
                        .requestHandler(req -> req.response().putHeader("content-type", "text/plain").end("ok"));
                port = server.listen().toCompletionStage().toCompletableFuture().get().actualPort();
            }
        }
        return port;
    }

    static void awaitNode(Connection c, Process checker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!checker.isAlive()) {
                throw new IllegalStateException("the checker exited with " + checker.exitValue());
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from checker_node")) {
                if (rs.next() && rs.getInt(1) > 0) {
                    return;
                }
            } catch (SQLException notMigratedYet) {
                // the checker creates the schema as it starts
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the checker did not register within 90 s");
    }

    static void seed(Connection c, int monitors, int interval, int port, List<DnsResponder> resolvers) throws SQLException {
        StringBuilder json = new StringBuilder("[");
        for (DnsResponder r : resolvers) {
            json.append(json.length() > 1 ? "," : "").append('"').append(r.spec()).append('"');
        }
        json.append(']');
        try (Statement st = c.createStatement()) {
            st.execute("insert into owner (email, password_hash) values ('bench@gatewatch.test', 'not-a-login')");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into monitor (owner_id, name, url, method, expected_status, interval_seconds, timeout_ms,
                    follow_redirects, max_redirects, resolvers, confirmation_window_seconds, success_threshold)
                select (select id from owner where email = 'bench@gatewatch.test'), 'bench-' || g,
                    'http://bench.gatewatch.test:' || ? || '/ok?m=' || g, 'GET', '200-399', ?, 10000, true, 5, ?::jsonb, 60, 2
                from generate_series(1, ?) g
                """)) {
            ps.setInt(1, port);
            ps.setInt(2, interval);
            ps.setString(3, json.toString());
            ps.setInt(4, monitors);
            ps.executeUpdate();
        }
    }

    /** Prints the checker's figures; returns the checks in the window. */
    static long report(Connection c, Instant from, Instant to, double cpuSeconds, long peakRssKb, long rssKb, int monitors,
            int interval, String heap) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select count(*), count(*) filter (where not ok),
                       percentile_cont(0.5) within group (order by extract(epoch from started_at - due_at) * 1000),
                       percentile_cont(0.99) within group (order by extract(epoch from started_at - due_at) * 1000),
                       max(extract(epoch from started_at - due_at) * 1000),
                       percentile_cont(0.5) within group (order by total_ms)
                from check_result where started_at >= ? and started_at < ?
                """)) {
            ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double secs = Duration.between(from, to).toMillis() / 1000.0;
                long checks = rs.getLong(1);
                System.out.printf(Locale.ROOT, """
                        ==== checker benchmark: %d monitors × 3 resolvers every %d s, -Xmx%s, %d cores ====
                        window                 %.0f s
                        checks                 %d (%d failed)
                        checks/s               %.0f
                        database rows/s        %.0f check_result rows (plus latest and rollup upserts in the same batches)
                        start lag p50 / p99    %.0f ms / %.0f ms (max %.0f ms)
                        check total p50        %.0f ms
                        CPU per 1000 checks    %.2f s (checker process)
                        RSS peak / now         %d MiB / %d MiB (checker process)
                        """, monitors, interval, heap, Runtime.getRuntime().availableProcessors(), secs, checks, rs.getLong(2),
                        checks / secs, checks / secs, rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6),
                        checks == 0 ? 0 : cpuSeconds * 1000 / checks, peakRssKb / 1024, rssKb / 1024);
                return checks;
            }
        }
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in clock ticks (100/s)
    }

    static long status(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
