package dev.gatewatch.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.check.CheckerProfile;
import dev.gatewatch.support.Management;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.TargetServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * The Prometheus scrape, after checks that pass and fail, passes {@code promtool check metrics} (Prometheus's own
 * linter: counters end in _total, units in base names, help on every family) without a single problem, and carries
 * the meters an operator alerts on.
 */
@QuarkusTest
@TestProfile(MetricsLintTest.Profile.class)
@Tag("e2e") // needs the promtool that src/test/e2e/install-tools.sh installs: ./mvnw verify
class MetricsLintTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new CheckerProfile().getConfigOverrides());
            config.put("gatewatch.roles", "api,checker,analyzer,notifier");
            return config;
        }
    }

    /** Where src/test/e2e/install-tools.sh puts promtool; -Ddev.gatewatch.promtool=… names another. */
    static final Path PROMTOOL = Path.of(System.getProperty("dev.gatewatch.promtool",
            System.getProperty("user.home") + "/.cache/gatewatch-tools/promtool/promtool"));

    static Vertx vertx;
    static TargetServers targets;

    @BeforeAll
    static void peers() {
        vertx = Vertx.vertx();
        targets = TargetServers.start(vertx, "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        targets.close();
        vertx.close();
    }

    @Test
    void scrapePassesPromtoolAndCarriesTheOperatorMeters() throws Exception {
        var owner = Owners.create();
        for (String url : List.of("http://127.0.0.1:" + targets.httpPort() + "/ok", "http://127.0.0.1:" + targets.refusedPort() + "/")) {
            owner.api().body(Map.of("name", "lint", "url", url, "intervalSeconds", 1, "timeoutMs", 1000, "resolvers", List.of("system")))
                    .post("/api/v1/monitors").then().statusCode(201);
        }
        owner.api().get("/api/v1/monitors").then().statusCode(200);
        owner.api().get("/api/v1/monitors/0").then().statusCode(404);

        List<String> wanted = List.of(
                "gatewatch_checks_total{error_class=\"connect_refused\",outcome=\"failed\",region=\"test\",}",
                "gatewatch_checks_total{error_class=\"none\",outcome=\"ok\",region=\"test\",}",
                "gatewatch_alert_deliveries_total{channel_type=\"webhook\",outcome=\"delivered\",}",
                "gatewatch_outbox_pending ", "gatewatch_outbox_oldest_due_seconds ",
                "gatewatch_check_results_written_total ", "gatewatch_check_results_dropped_total ",
                "gatewatch_check_writer_lag_seconds ", "gatewatch_check_start_lag_seconds{", "gatewatch_analyzer_lag_seconds{",
                "gatewatch_analyzer_pass_age_seconds ",
                "gatewatch_loop_failures_total{loop=\"analyzer\",}");
        String scrape = "";
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            // The classic text format, which promtool reads (Prometheus itself may ask for OpenMetrics)
            scrape = Management.given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
            String s = scrape;
            if (wanted.stream().allMatch(s::contains) && ok(s, "connect_refused") > 0 && ok(s, "none") > 0) {
                break;
            }
            Thread.sleep(500);
        }
        Files.writeString(Path.of("target/metrics-scrape.prom"), scrape);
        List<String> problems = promtool(scrape);
        for (String series : wanted) {
            assertTrue(scrape.contains(series), series + " missing from the scrape:\n" + scrape);
        }
        assertTrue(ok(scrape, "none") > 0 && ok(scrape, "connect_refused") > 0, "checks counted by outcome");
        assertEquals(List.of(), problems, "promtool check metrics");
    }

    /** The value of the checks counter for one error class (none: the passing checks). */
    static double ok(String scrape, String errorClass) {
        return scrape.lines().filter(l -> l.startsWith("gatewatch_checks_total{error_class=\"" + errorClass + "\","))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** promtool's complaints, one a line ("name: problem"); none when the text is clean. */
    static List<String> promtool(String scrape) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " missing: run src/test/e2e/install-tools.sh");
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        System.out.println("promtool check metrics: exit " + p.exitValue() + "\n" + out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
