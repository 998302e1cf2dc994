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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gatewatch.config.EmbeddedPostgres;
import dev.gatewatch.support.JavaProcess;
import dev.gatewatch.support.TargetServers;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;

/**
 * The packaged application ({@code java -jar target/quarkus-app/quarkus-run.jar}, as the README runs it, with its
 * embedded PostgreSQL) stopped with SIGTERM while it checks 40 monitors every second, half of them answering after
 * 800 ms: every check a target answered is
 * stored, once, and the log reports nothing left unwritten. Runs in {@code verify}, after {@code package}.
 */
class PackagedAppIT {

    private static final String TOKEN = "gw_packagedappitpackagedappitpackagedappit01";
    private static final String REGION = "it";
    private static final int MONITORS = 40;

    private Path root;
    private JavaProcess app;

    @AfterEach
    void cleanUp() throws Exception {
        if (app != null) {
            app.kill();
        }
        if (root != null) {
            if (Files.exists(root.resolve("pg/postmaster.pid"))) {
                EmbeddedPostgres.start(settings()).close();
            }
            try (var paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private EmbeddedPostgres.Settings settings() {
        return new EmbeddedPostgres.Settings(root.resolve("pg"), 0, false, "gatewatch");
    }

    @Test
    void sigtermUnderLoadStoresEveryCheckOnceAndStopsTheDatabaseLast() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), "package builds " + jar);
        root = Files.createTempDirectory("gatewatch-packaged-it", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Vertx vertx = Vertx.vertx();
        List<Long> ids = new ArrayList<>();
        int answered;
        String output;
        int exit;
        try (TargetServers targets = TargetServers.start(vertx, "127.0.0.1")) {
            app = JavaProcess.jar(jar, List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                    "-Dgatewatch.database.embedded.data-dir=" + root.resolve("pg"), "-Dgatewatch.targets.allow=127.0.0.0/8",
                    "-Dgatewatch.monitors.min-interval=1s", "-Dgatewatch.checker.region=" + REGION,
                    "-Dgatewatch.bootstrap.email=it@gatewatch.test", "-Dgatewatch.bootstrap.password=packaged-app-it",
                    "-Dgatewatch.bootstrap.api-token=" + TOKEN));
            awaitReady(port);
            for (int i = 0; i < MONITORS; i++) {
                // Half answer after 800 ms: at any moment some 20 checks are in flight, so the SIGTERM always meets some.
                String path = i % 2 == 0 ? "/ok" : "/slow?ms=800";
                ids.add(api(port).body(Map.of("name", "load " + i, "url", "http://127.0.0.1:" + targets.httpPort() + path,
                        "intervalSeconds", 1, "timeoutMs", 1000, "regions", List.of(REGION), "resolvers", List.of("system")))
                        .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id"));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (targets.hits("/ok") + targets.hits("/slow") < 150 && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            app.terminate();
            exit = app.awaitExit();
            answered = targets.hits("/ok") + targets.hits("/slow");
            output = app.output();
        } finally {
            vertx.close();
        }
        assertTrue(answered >= 150, "under load before the SIGTERM: " + answered + "\n" + output);
        assertTrue(exit == 0 || exit == 128 + 15, "a clean stop on SIGTERM, exit " + exit + ":\n" + output);
        assertFalse(output.contains("not written"), output);
        java.util.regex.Matcher inFlight = java.util.regex.Pattern.compile("finishing (\\d+) checks in flight").matcher(output);
        assertTrue(inFlight.find() && Integer.parseInt(inFlight.group(1)) > 0, "the SIGTERM met checks in flight: " + output);
        assertFalse(output.contains("Connection refused"), "the database stops after the application: " + output);
        assertFalse(Files.exists(root.resolve("pg/postmaster.pid")), "the embedded server stopped with the application");

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(settings());
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), count(distinct (monitor_id, region, resolver, due_at)) from check_result"
                     + " where region = '" + REGION + "'")) {
            rs.next();
            assertEquals(answered, rs.getLong(1), "every check the target answered is stored");
            assertEquals(rs.getLong(1), rs.getLong(2), "no (monitor, region, resolver, due) twice");
        }
        System.out.printf("packaged app, SIGTERM under load: %s checks in flight at the SIGTERM, %d answered, %d stored%n",
                inFlight.group(1), answered, answered);
    }

    private static RequestSpecification api(int port) {
        return given().baseUri("http://127.0.0.1:" + port).header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    private void awaitReady(int port) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            try {
                if (given().baseUri("http://127.0.0.1:" + port).get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not ready within 120 s:\n" + app.output());
    }
}
