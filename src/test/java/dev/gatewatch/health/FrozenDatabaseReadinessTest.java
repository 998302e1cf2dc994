package dev.gatewatch.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.support.Management;
import dev.gatewatch.support.PostgresServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Readiness answers DOWN, with the reason, while the real PostgreSQL server is frozen (SIGSTOP: its sockets stay
 * open and nothing answers) and while it is stopped, and UP again once it is back. The notifier role runs, so the
 * outbox check, which queries the database too, is bounded as well.
 */
@QuarkusTest
@TestProfile(FrozenDatabaseReadinessTest.Profile.class)
@Tag("slow") // real faults, processes or a long sweep: runs in ./mvnw verify, not in the quick ./mvnw test
class FrozenDatabaseReadinessTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatewatch.roles", "api,notifier");
        }
    }

    /** A hanging readiness probe fails the test here instead of hanging it; the figures are printed, not asserted. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    @Inject
    AgroalDataSource dataSource;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void downWithinTheDeadlineWhileFrozenOrStoppedAndUpAgainAfter() throws Exception {
        PostgresServer server = PostgresServer.of(dataSource);
        awaitUp();

        server.freeze();
        try {
            for (int i = 0; i < 3; i++) { // the first probe starts the hanging queries, later ones find them hanging
                assertDown(ready(), "frozen", "no answer from the database");
            }
        } finally {
            server.thaw();
        }
        awaitUp();

        server.stop();
        try {
            assertDown(ready(), "stopped", "");
        } finally {
            server.start();
        }
        awaitUp();
    }

    private void assertDown(Answer answer, String state, String reason) {
        System.out.printf("readiness with the database %s: HTTP %d in %d ms: %s%n", state, answer.status, answer.took.toMillis(), answer.body);
        assertEquals(503, answer.status, answer.body.toString());
        assertEquals("DOWN", answer.body.path("status").asText());
        for (String name : new String[] {"database", "alerts delivered"}) {
            JsonNode check = check(answer.body, name);
            assertEquals("DOWN", check.path("status").asText(), answer.body.toString());
            assertTrue(check.path("data").path("error").asText().contains(reason), answer.body.toString());
        }
    }

    private static JsonNode check(JsonNode body, String name) {
        for (JsonNode check : body.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + body);
    }

    private void awaitUp() throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        Answer last;
        do {
            last = ready();
            if (last.status == 200) {
                assertEquals("UP", check(last.body, "database").path("status").asText());
                return;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(until));
        throw new AssertionError("readiness not UP again within 60 s: " + last.body);
    }

    record Answer(int status, JsonNode body, Duration took) {
    }

    private Answer ready() throws Exception {
        Instant start = Instant.now();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Management.port() + "/q/health/ready"))
                .timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), json.readTree(r.body()), Duration.between(start, Instant.now()));
    }
}
