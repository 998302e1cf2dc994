package dev.gatewatch.account.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** The bounded hashing pool at the default work factor: a flood of logins is answered busy, not queued without end. */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(LoginFloodTest.Profile.class)
class LoginFloodTest {

    /** The other tests hash at the lowest factor; a flood only fills the pool when each hash takes what it does in production. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatewatch.web.login.bcrypt-cost", "12");
        }
    }

    @Inject
    DataSource db;

    @AfterEach
    void forgetFailures() {
        Sql.update(db, "delete from login_throttle");
    }

    @Test
    void aLoginFloodIsAnsweredBusyWhileTheApiKeepsServing() throws Exception {
        TestOwner owner = Owners.create();
        int flood = 60;
        ExecutorService pool = Executors.newFixedThreadPool(flood);
        List<Future<Response>> tries = new ArrayList<>();
        try {
            for (int i = 0; i < flood; i++) {
                String email = "flood-" + i + "-" + UUID.randomUUID() + "@example.com";
                tries.add(pool.submit(() -> Owners.tryLogin(email, "wrong-password")));
            }
            owner.api().get("/api/v1/monitors").then().statusCode(200);
            List<Integer> statuses = new ArrayList<>();
            Response busy = null;
            for (Future<Response> f : tries) {
                Response r = f.get();
                statuses.add(r.statusCode());
                if (r.statusCode() == 503) {
                    busy = r;
                }
            }
            assertTrue(Set.of(401, 429, 503).containsAll(statuses), "only refusals: " + statuses);
            assertFalse(busy == null, "some were answered busy at once: " + statuses);
            assertEquals("2", busy.getHeader("Retry-After"));
            assertTrue(busy.asString().contains("Too many logins at once"), busy.asString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(303, Owners.tryLogin(owner.email(), owner.password()).statusCode(), "after the flood, logins work");
    }
}
