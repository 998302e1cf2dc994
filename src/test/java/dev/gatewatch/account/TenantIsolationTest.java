package dev.gatewatch.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.gatewatch.api.WebUiDocumented;
import dev.gatewatch.support.Fixtures;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Another owner's resources are invisible. The endpoints come from the OpenAPI document, so a new endpoint with a
 * resource id is covered the day it is added (and this test fails until it knows how to make that resource).
 */
@QuarkusTest
@TestProfile(WebUiDocumented.class)
class TenantIsolationTest {

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    @Test
    void everyEndpointWithAnIdAnswers404ForAnotherOwnersResource() {
        TestOwner alice = Owners.create();
        TestOwner mallory = Owners.create();
        long monitor = ((Number) alice.api().body("{\"name\":\"alice's\",\"url\":\"http://127.0.0.1/alice\"}")
                .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        long token = ((Number) alice.api().body("{\"name\":\"alice-ci\"}").post("/api/v1/tokens")
                .then().statusCode(201).extract().path("token.id")).longValue();
        long deployment = ((Number) alice.api().body("{\"version\":\"v1\"}").post("/api/v1/monitors/" + monitor + "/deployments")
                .then().statusCode(201).extract().path("id")).longValue();
        long incident = Fixtures.incident(dataSource, monitor);
        Fixtures.diagnosis(dataSource, monitor);
        long channel = ((Number) alice.api().body("{\"type\":\"slack\",\"name\":\"alice-ops\",\"secrets\":{\"webhookUrl\":\"http://127.0.0.1:9/hook\"}}")
                .post("/api/v1/channels").then().statusCode(201).extract().path("id")).longValue();
        long window = ((Number) alice.api().body("{\"name\":\"alice-maintenance\",\"recurrence\":{\"start\":\"02:00\",\"durationMinutes\":30}}")
                .post("/api/v1/maintenance-windows").then().statusCode(201).extract().path("id")).longValue();
        long silence = ((Number) alice.api().body("{\"reason\":\"alice's\",\"durationMinutes\":30}")
                .post("/api/v1/silences").then().statusCode(201).extract().path("id")).longValue();
        Map<String, Long> ids = Map.of("monitorId", monitor, "tokenId", token, "deploymentId", deployment, "incidentId", incident,
                "channelId", channel, "windowId", window, "silenceId", silence);

        JsonPath openapi = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        List<String> checked = new ArrayList<>();
        for (var path : paths.entrySet()) {
            if (!path.getKey().contains("{") || path.getKey().startsWith("/status/") || path.getKey().startsWith("/password-reset/")
                    || path.getKey().startsWith("/api/v1/diagnoses/") || path.getKey().startsWith("/diagnose/")) {
                // public status pages and badges are public by design, checked below; a reset link is its own key (PasswordResetTest);
                // a diagnosis is shared by its link, also by design: what another owner sees of it is checked below
                continue;
            }
            for (String method : path.getValue().keySet()) {
                if (!List.of("get", "put", "post", "delete", "patch").contains(method)) {
                    continue;
                }
                Matcher m = PARAM.matcher(path.getKey());
                StringBuilder url = new StringBuilder();
                while (m.find()) {
                    Long id = ids.get(m.group(1));
                    if (id == null) {
                        fail("TenantIsolationTest does not know how to create a resource for {" + m.group(1) + "} in "
                                + path.getKey() + "; add it so the endpoint is covered");
                    }
                    m.appendReplacement(url, Long.toString(id));
                }
                m.appendTail(url);
                String target = url.toString();
                RequestSpecification request = target.startsWith("/api/")
                        ? mallory.api().body(body(target, method))
                        : mallory.web().formParam("csrf", mallory.csrf()).formParam("name", "x");
                int status = request.request(method.toUpperCase(), target).then().extract().statusCode();
                assertEquals(404, status, method.toUpperCase() + " " + target + " as another owner");
                checked.add(method.toUpperCase() + " " + path.getKey());
            }
        }
        assertTrue(checked.containsAll(List.of("GET /api/v1/monitors/{monitorId}", "PUT /api/v1/monitors/{monitorId}",
                "DELETE /api/v1/monitors/{monitorId}", "POST /api/v1/monitors/{monitorId}/pause",
                "POST /api/v1/monitors/{monitorId}/resume", "DELETE /api/v1/tokens/{tokenId}",
                "POST /account/tokens/{tokenId}/revoke")), "every id endpoint must be checked, got " + checked);
        assertTrue(checked.containsAll(List.of("GET /monitors/{monitorId}/edit", "POST /monitors/{monitorId}/edit",
                "POST /monitors/{monitorId}/pause", "POST /monitors/{monitorId}/resume", "POST /monitors/{monitorId}/delete",
                "GET /maintenance/{windowId}", "POST /maintenance/{windowId}", "POST /maintenance/{windowId}/delete")),
                "the web UI's monitor and maintenance forms must be checked, got " + checked);

        // Alice's diagnosis, shared by its link: another owner sees the verdict and checks, not the error page's body
        String diagnosis = Fixtures.diagnosisId(Map.of("monitorId", monitor));
        dev.gatewatch.api.Sql.update(dataSource, """
                insert into diagnosis_result (diagnosis_id, region, resolver, checker_id, started_at, ok, status, total_ms, error_body)
                values (?::uuid, 'eu', 'system', 'n1', now(), false, 502, 5, 'alice''s internal error page')
                """, diagnosis);
        assertEquals("alice's internal error page", alice.api().get("/api/v1/diagnoses/" + diagnosis).then().statusCode(200)
                .extract().path("checks[0].errorBody"));
        JsonPath shared = mallory.api().get("/api/v1/diagnoses/" + diagnosis).then().statusCode(200).extract().jsonPath();
        assertEquals(502, shared.getInt("checks[0].status"));
        assertNull(shared.get("checks[0].errorBody"), shared.prettify());
        assertTrue(!mallory.web().get("/diagnose/" + diagnosis).then().statusCode(200).extract().asString().contains("internal error page"));

        // Alice's resources are untouched by all of that
        alice.api().get("/api/v1/monitors/" + monitor).then().statusCode(200).body("name", equalTo("alice's")).body("paused", equalTo(false));
        alice.api().get("/api/v1/tokens").then().body("find { it.name == 'alice-ci' }.revokedAt", org.hamcrest.Matchers.nullValue());
        // and lists never show them
        mallory.api().get("/api/v1/monitors").then().body("total", equalTo(0)).body("items.name", not(hasItem("alice's")));
        mallory.api().get("/api/v1/tokens").then().body("name", not(hasItem("alice-ci")));
        mallory.api().get("/api/v1/incidents").then().statusCode(200).body("id", not(hasItem((int) incident)));
        mallory.api().get("/api/v1/deployments").then().statusCode(200).body("id", not(hasItem((int) deployment)));
        mallory.api().body("{\"monitorIds\":[" + monitor + "]}").post("/api/v1/deployments").then().statusCode(400);
        mallory.api().get("/api/v1/channels").then().statusCode(200).body("name", not(hasItem("alice-ops")));
        alice.api().get("/api/v1/channels/" + channel).then().statusCode(200).body("name", equalTo("alice-ops"));
        alice.api().get("/api/v1/incidents/" + incident).then().statusCode(200).body("monitorName", equalTo("alice's"));
        alice.api().get("/api/v1/deployments/" + deployment).then().statusCode(200).body("endedAt", org.hamcrest.Matchers.nullValue());
        mallory.web().get("/").then().statusCode(200).body(not(org.hamcrest.Matchers.containsString("alice's")));
        // A status page shows only its owner's monitors: not on a page of Mallory's, nor through its badges.
        String slug = "mallory-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        mallory.api().body("{\"slug\":\"" + slug + "\",\"title\":\"M\",\"enabled\":true,\"groups\":[{\"name\":\"\",\"monitors\":[{\"monitorId\":"
                + monitor + "}]}]}").put("/api/v1/status-page").then().statusCode(400);
        mallory.api().body("{\"slug\":\"" + slug + "\",\"title\":\"M\",\"enabled\":true}").put("/api/v1/status-page").then().statusCode(200);
        for (String badge : List.of("status.svg", "uptime.svg", "response-time.svg")) {
            given().get("/status/" + slug + "/badge/" + monitor + "/" + badge).then().statusCode(404);
        }
        given().get("/status/" + slug).then().statusCode(200).body(not(org.hamcrest.Matchers.containsString("alice's")));
    }

    private static String body(String target, String method) {
        if (target.startsWith("/api/v1/monitors/") && method.equals("put")) {
            return "{\"name\":\"taken over\",\"url\":\"http://127.0.0.1/mallory\"}";
        }
        return "{}";
    }
}
