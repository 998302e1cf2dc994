package dev.gatewatch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatewatch.config.EmbeddedPostgres;
import dev.gatewatch.support.JavaProcess;
import dev.gatewatch.support.TargetServers;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;

/**
 * The packaged application ({@code java -jar target/quarkus-app/quarkus-run.jar}, as the README runs it, with its
 * embedded PostgreSQL and default settings but for loopback targets): stopped with SIGTERM under load, and a second
 * checker instance killed with SIGKILL. Runs in {@code verify}, after {@code package}.
 */
class PackagedAppIT {

    private static final String TOKEN = "gw_packagedappitpackagedappitpackagedappit01";
    private static final String REGION = "it";
    private static final Pattern DATABASE = Pattern.compile("Database: embedded PostgreSQL \\d+ on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern NODE = Pattern.compile("checker (\\S+) started for region");

    private Path root;
    private Vertx vertx;
    private final List<JavaProcess> apps = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory("gatewatch-packaged-it", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        vertx = Vertx.vertx();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (JavaProcess app : apps) {
            app.kill();
        }
        vertx.close();
        if (Files.exists(root.resolve("pg/postmaster.pid"))) {
            EmbeddedPostgres.start(settings()).close();
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private EmbeddedPostgres.Settings settings() {
        return new EmbeddedPostgres.Settings(root.resolve("pg"), 0, false, "gatewatch");
    }

    /** SIGTERM while 40 monitors are checked every second, half answering after 800 ms: every answered check stored once. */
    @Test
    void sigtermUnderLoadStoresEveryCheckOnceAndStopsTheDatabaseLast() throws Exception {
        int answered;
        String output;
        int exit;
        try (TargetServers targets = TargetServers.start(vertx, "127.0.0.1")) {
            App app = start(List.of());
            for (int i = 0; i < 40; i++) {
                // Half answer after 800 ms: at any moment some 20 checks are in flight, so the SIGTERM always meets some.
                monitor(app.port, "load " + i, "http://127.0.0.1:" + targets.httpPort() + (i % 2 == 0 ? "/ok" : "/slow?ms=800"), 1);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (targets.hits("/ok") + targets.hits("/slow") < 150 && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            app.process.terminate();
            exit = app.process.awaitExit();
            answered = targets.hits("/ok") + targets.hits("/slow");
            output = app.process.output();
        }
        assertTrue(answered >= 150, "under load before the SIGTERM: " + answered + "\n" + output);
        assertTrue(exit == 0 || exit == 128 + 15, "a clean stop on SIGTERM, exit " + exit + ":\n" + output);
        assertFalse(output.contains("not written"), output);
        assertTrue(output.lines().noneMatch(l -> l.startsWith("{")), "plain text logs by default: " + output);
        Matcher inFlight = Pattern.compile("finishing (\\d+) checks in flight").matcher(output);
        assertTrue(inFlight.find() && Integer.parseInt(inFlight.group(1)) > 0, "the SIGTERM met checks in flight: " + output);
        assertFalse(output.contains("Connection refused"), "the database stops after the application: " + output);
        assertFalse(Files.exists(root.resolve("pg/postmaster.pid")), "the embedded server stopped with the application");

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(settings());
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), count(distinct (monitor_id, region, resolver, due_at)) from check_result_full"
                     + " where region = '" + REGION + "'")) {
            rs.next();
            assertEquals(answered, rs.getLong(1), "every check the target answered is stored");
            assertEquals(rs.getLong(1), rs.getLong(2), "no (monitor, region, resolver, due) twice");
        }
        System.out.printf("packaged app, SIGTERM under load: %s checks in flight at the SIGTERM, %d answered, %d stored%n",
                inFlight.group(1), answered, answered);
    }

    /**
     * Two instances checking one region at the default interval (10 s) and lease (8 s); the checker-only one is killed
     * with SIGKILL: every monitor is checked again within two intervals, and no slot twice.
     */
    @Test
    void aKilledCheckerInstancesMonitorsAreCheckedAgainWithinTwoIntervalsAtTheDefaults() throws Exception {
        int interval = 10;
        Map<Long, List<Instant>> starts = new HashMap<>();
        Map<Long, List<Instant>> dues = new HashMap<>();
        Instant killedAt;
        try (TargetServers targets = TargetServers.start(vertx, "127.0.0.1")) {
            App main = start(List.of());
            Matcher db = DATABASE.matcher(main.process.output());
            assertTrue(db.find(), main.process.output());
            String url = "jdbc:postgresql://127.0.0.1:" + db.group(1) + "/gatewatch";
            App checker = start(List.of("-Dgatewatch.roles=checker", "-Dquarkus.datasource.jdbc.url=" + url,
                    "-Dquarkus.datasource.username=postgres"));
            Matcher node = NODE.matcher(checker.process.output());
            assertTrue(node.find(), checker.process.output());
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(monitor(main.port, "k" + i, "http://127.0.0.1:" + targets.httpPort() + "/ok", interval));
            }
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (count(st, "select count(distinct checker_id) from check_result_full where region = '" + REGION + "'") < 2
                        && System.nanoTime() < until) {
                    Thread.sleep(500);
                }
                Thread.sleep(3000); // some way into the interval, not just after a claim
                checker.process.kill();
                killedAt = Instant.now();
                Thread.sleep(3 * interval * 1000L);
                assertTrue(count(st, "select count(*) from check_result_full where checker_id = '" + node.group(1) + "'") > 0,
                        "the killed instance had checked");
                try (ResultSet rs = st.executeQuery("select monitor_id, started_at, due_at from check_result_full where region = '" + REGION
                        + "' order by started_at")) {
                    while (rs.next()) {
                        starts.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getObject(2, OffsetDateTime.class).toInstant());
                        dues.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getObject(3, OffsetDateTime.class).toInstant());
                    }
                }
            }
            assertEquals(ids.size(), starts.size());
        }
        long worst = 0;
        for (var e : starts.entrySet()) {
            List<Instant> s = e.getValue();
            assertEquals(s.size(), dues.get(e.getKey()).stream().distinct().count(), "monitor " + e.getKey() + " checked twice: " + dues);
            assertTrue(s.get(s.size() - 1).isAfter(killedAt.plusSeconds(interval)), "monitor " + e.getKey() + " checked after the kill: " + s);
            for (int i = 1; i < s.size(); i++) {
                long gap = Duration.between(s.get(i - 1), s.get(i)).toMillis();
                assertTrue(gap <= 2 * interval * 1000L, "monitor " + e.getKey() + " waited " + gap + " ms: " + s);
                worst = Math.max(worst, gap);
            }
        }
        System.out.printf("packaged app, takeover after SIGKILL at the defaults: longest gap between two checks of a monitor %d ms"
                + " (interval %d s, lease 8 s)%n", worst, interval);
    }

    private record App(JavaProcess process, int port) {
    }

    /**
     * QUARKUS_LOG_CONSOLE_JSON=true switches the console to one JSON object a line (level, logger, message), the
     * public-URL warning among them; without it (the other tests) the console is plain text.
     */
    @Test
    void consoleLogsAreJsonLinesWhenAskedFor() throws Exception {
        App app = start(List.of(), Map.of("QUARKUS_LOG_CONSOLE_JSON", "true"));
        app.process.terminate();
        app.process.awaitExit();
        String output = app.process.output();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line)); // throws on a line that is not JSON
            }
        }
        assertTrue(lines.size() > 5, output);
        assertTrue(lines.stream().allMatch(l -> l.isObject() && l.hasNonNull("level") && l.hasNonNull("message")), output);
        assertTrue(lines.stream().anyMatch(l -> l.path("level").asText().equals("WARN")
                && l.path("loggerName").asText().equals("dev.gatewatch.config.PublicUrl")
                && l.path("message").asText().contains("gatewatch.public-url (GATEWATCH_PUBLIC_URL) is not set")), output);
        assertTrue(lines.stream().anyMatch(l -> l.path("message").asText().contains("started in")), output);
    }

    private App start(List<String> options) throws Exception {
        return start(options, Map.of());
    }

    private App start(List<String> options, Map<String, String> environment) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), "package builds " + jar);
        int port = freePort();
        int management = freePort();
        List<String> all = new ArrayList<>(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + management,
                "-Dgatewatch.database.embedded.data-dir=" + root.resolve("pg"), "-Dgatewatch.targets.allow=127.0.0.0/8",
                "-Dgatewatch.monitors.min-interval=1s", "-Dgatewatch.checker.region=" + REGION,
                "-Dgatewatch.bootstrap.email=it@gatewatch.test", "-Dgatewatch.bootstrap.password=packaged-app-it",
                "-Dgatewatch.bootstrap.api-token=" + TOKEN));
        all.addAll(options);
        JavaProcess process = JavaProcess.jar(jar, all, environment);
        apps.add(process);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            try {
                // readiness is on the management port, and only there
                if (given().baseUri("http://127.0.0.1:" + management).get("/q/health/ready").statusCode() == 200) {
                    assertFalse(given().baseUri("http://127.0.0.1:" + port).redirects().follow(false).get("/q/health/ready")
                            .asString().contains("\"checks\""), "readiness on the public port");
                    return new App(process, port);
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not ready within 120 s:\n" + process.output());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long monitor(int port, String name, String url, int interval) {
        return api(port).body(Map.of("name", name, "url", url, "intervalSeconds", interval, "timeoutMs", 1000,
                "regions", List.of(REGION), "resolvers", List.of("system")))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static RequestSpecification api(int port) {
        return given().baseUri("http://127.0.0.1:" + port).header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
