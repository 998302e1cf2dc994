package dev.gatewatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;

/**
 * U+0000, which PostgreSQL cannot store, is refused as a 400 naming the field in every request body and parameter,
 * not only the monitor's (whose fields MonitorValidationTest walks), and nothing is stored.
 */
@QuarkusTest
class NulInputTest {

    static final String NUL = "\\u0000"; // as JSON writes it

    @Test
    void inAChannelsNameAndItsUntypedSettings() {
        TestOwner owner = Owners.create();
        refused(owner, "/api/v1/channels", "{\"type\":\"email\",\"name\":\"ops" + NUL + "\",\"settings\":{\"recipients\":[\"a@example.com\"]}}",
                "name");
        refused(owner, "/api/v1/channels", "{\"type\":\"email\",\"name\":\"ops\",\"settings\":{\"recipients\":[\"a@example.com\",\"b" + NUL
                + "@example.com\"]}}", "settings.recipients[1]");
        refused(owner, "/api/v1/channels", "{\"type\":\"webhook\",\"name\":\"w\",\"settings\":{\"url\":\"https://hooks.example.com/\"},"
                + "\"secrets\":{\"secret\":\"0123456789abcdef" + NUL + "\"}}", "secrets.secret");
        owner.api().get("/api/v1/channels").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void inMaintenanceWindowsSilencesTokensAndTheStatusPage() {
        TestOwner owner = Owners.create();
        refused(owner, "/api/v1/maintenance-windows", "{\"name\":\"deploy" + NUL + "\",\"startsAt\":\"2030-01-01T00:00:00Z\","
                + "\"endsAt\":\"2030-01-01T01:00:00Z\"}", "name");
        refused(owner, "/api/v1/maintenance-windows", "{\"name\":\"weekly\",\"recurrence\":{\"days\":[\"MON\",\"TUE" + NUL + "\"],"
                + "\"start\":\"02:00\",\"durationMinutes\":30,\"timeZone\":\"UTC\"}}", "recurrence.days[1]");
        refused(owner, "/api/v1/silences", "{\"reason\":\"noisy" + NUL + "\",\"durationMinutes\":30}", "reason");
        refused(owner, "/api/v1/tokens", "{\"name\":\"ci" + NUL + "\"}", "name");
        owner.api().body("{\"slug\":\"s" + NUL + "\",\"title\":\"t\",\"enabled\":true,\"groups\":[]}").put("/api/v1/status-page")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("slug"));
    }

    @Test
    void inQueryAndPathParameters() {
        TestOwner owner = Owners.create();
        owner.api().queryParam("q", "shop\0").get("/api/v1/monitors").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("q")).body("errors[0].message", equalTo(NulText.MESSAGE));
        owner.api().queryParam("q", "shop").get("/api/v1/monitors").then().statusCode(200);
        given().urlEncodingEnabled(false).get("/status/a%00b").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("slug"));
        owner.web().urlEncodingEnabled(false).get("/?q=%00").then().statusCode(not(equalTo(500)));
    }

    @Test
    void inWebForms() {
        TestOwner owner = Owners.create();
        String page = owner.web().formParam("csrf", owner.csrf()).formParam("name", "n").formParam("url", "http://127.0.0.1:1/")
                .formParam("method", "POST").formParam("body", "a\0b").post("/monitors").then().statusCode(400).extract().asString();
        assertTrue(page.contains(NulText.MESSAGE), "the form names the field");
        // a form without a check of its own still gets a 400 (PostgreSQL's refusal), never a 500
        owner.web().formParam("csrf", owner.csrf()).formParam("type", "webhook").formParam("name", "hook\0")
                .formParam("url", "https://hooks.example.com/x").formParam("secret", "0123456789abcdef").post("/channels")
                .then().statusCode(400);
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(0));
        owner.api().get("/api/v1/channels").then().body("size()", equalTo(0));
    }

    @Test
    void inTheLoginFormAndTheToken() {
        // a failed login like any other, not PostgreSQL's refusal of the lookup
        Owners.tryLogin("a\0b@example.com", "long-enough-password").then().statusCode(401)
                .body(org.hamcrest.Matchers.containsString("Wrong e-mail or password"));
        given().header("Authorization", "Bearer gw_a\u0000b").get("/api/v1/monitors").then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE);
    }

    static void refused(TestOwner owner, String path, String body, String field) {
        owner.api().body(body).post(path).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo(field)).body("errors[0].message", equalTo(NulText.MESSAGE));
    }
}
