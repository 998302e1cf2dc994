package dev.gatewatch.monitor;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatewatch.support.Owners;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the production default (nothing allowed), loopback in any spelling is refused at registration. */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(StrictTargetsTest.Strict.class)
class StrictTargetsTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatewatch.targets.allow", "");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1/", "http://2130706433/", "http://0x7f.1/", "http://[::ffff:127.0.0.1]/",
            "http://127.1/", "http://0177.0.0.1/", "http://0x7f000001/", "http://127.0.0.1./", "http://[::1]/",
            "http://localhost:8080/", "http://LOCALHOST./" })
    void loopbackInAnySpellingIsRefused(String url) {
        var owner = Owners.create();
        owner.api().body("{\"name\":\"n\",\"url\":\"" + url + "\"}").post("/api/v1/monitors").then().statusCode(400)
                .body("errors[0].field", equalTo("url")).body("errors[0].message", containsString("refused"));
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(0));
    }

    @Test
    void loopbackResolversAreRefusedToo() {
        var owner = Owners.create();
        owner.api().body("{\"name\":\"n\",\"url\":\"http://93.184.215.14/\",\"resolvers\":[\"127.0.0.53\"]}").post("/api/v1/monitors")
                .then().statusCode(400).body("errors[0].field", equalTo("resolvers[0]"));
        owner.api().body("{\"name\":\"n\",\"url\":\"http://93.184.215.14/\",\"resolvers\":[\"system\",\"1.1.1.1\"]}").post("/api/v1/monitors")
                .then().statusCode(201);
    }
}
