package dev.gatewatch.monitor;

import static dev.gatewatch.support.Labels.assertEveryControlLabelled;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** The monitor forms of the web UI, driven as a browser posts them, checked through the API. */
@QuarkusTest
class MonitorPagesTest {

    @Test
    void theAddFormLabelsEveryControlAndShowsTheDefaults() {
        TestOwner owner = Owners.create();
        long channel = channel(owner, "ops");
        String page = owner.web().get("/monitors/new").then().statusCode(200).extract().asString();
        assertEveryControlLabelled(page);
        assertTrue(page.contains("action=\"/monitors\""), page);
        assertTrue(page.contains("name=\"intervalSeconds\" type=\"number\" inputmode=\"numeric\" value=\"60\""), "defaults are shown");
        assertTrue(page.contains("value=\"system\" checked"), "the default resolvers are ticked");
        assertTrue(page.contains("name=\"quickConfirmation\" value=\"on\" checked"), "quick confirmation is on by default");
        assertTrue(page.contains("name=\"channels\" value=\"" + channel + "\""), "the owner's channels are offered");
        assertTrue(page.contains("<a href=\"/maintenance\">Maintenance</a>"), "the nav links the maintenance pages");
    }

    @Test
    void aMonitorCreatedThroughTheFormIsTheSameAsThroughTheApi() {
        TestOwner owner = Owners.create();
        long channel = channel(owner, "ops");
        String location = form(owner, Map.of("name", "Shop", "url", "http://127.0.0.1:1/health", "method", "POST",
                "intervalSeconds", "30", "timeoutMs", "5000", "expectedStatus", "200-299, 301", "maxResponseTimeMs", "2000",
                "regions", "eu-west, us-east", "confirmationWindowSeconds", "120", "successThreshold", "3"))
                .formParam("resolvers", "system").formParam("resolvers", "8.8.8.8").formParam("otherResolvers", "9.9.9.9 149.112.112.112:53")
                .formParam("reminderMinutes", "30").formParam("channels", Long.toString(channel))
                .formParam("headers", "Accept: application/json\r\nX-Probe:  gatewatch\r\n\r\n").formParam("body", "{\"ping\":1}")
                .formParam("bodyAssertions", "contains: ok\nnot_regex: error \\d+")
                .post("/monitors").then().statusCode(303).extract().header("Location");
        assertTrue(location.matches(".*/monitors/\\d+$"), "goes to the monitor's page: " + location);
        long id = Long.parseLong(location.replaceAll(".*/monitors/", ""));
        owner.api().get("/api/v1/monitors/" + id).then().statusCode(200)
                .body("name", equalTo("Shop")).body("url", equalTo("http://127.0.0.1:1/health")).body("method", equalTo("POST"))
                .body("intervalSeconds", equalTo(30)).body("timeoutMs", equalTo(5000)).body("expectedStatus", equalTo("200-299,301"))
                .body("maxResponseTimeMs", equalTo(2000)).body("regions", equalTo(List.of("eu-west", "us-east")))
                .body("resolvers", equalTo(List.of("system", "8.8.8.8", "9.9.9.9", "149.112.112.112")))
                .body("headers", equalTo(Map.of("Accept", "application/json", "X-Probe", "gatewatch"))).body("body", equalTo("{\"ping\":1}"))
                .body("bodyAssertions.type", equalTo(List.of("contains", "not_regex")))
                .body("bodyAssertions.value", equalTo(List.of("ok", "error \\d+")))
                .body("alertPolicy.confirmationWindowSeconds", equalTo(120)).body("alertPolicy.successThreshold", equalTo(3))
                .body("alertPolicy.reminderMinutes", equalTo(30)).body("alertPolicy.channels", equalTo(List.of((int) channel)))
                // an unticked box is not sent: quick confirmation off
                .body("alertPolicy.quickConfirmation", equalTo(false))
                .body("followRedirects", equalTo(true)).body("paused", equalTo(false));

        // the edit form shows it back as it was typed (modulo the API's normal form)
        String edit = owner.web().get("/monitors/" + id + "/edit").then().statusCode(200).extract().asString();
        assertEveryControlLabelled(edit);
        assertTrue(edit.contains("value=\"Shop\"") && edit.contains("<option selected>POST</option>"), edit);
        assertTrue(edit.contains(">Accept: application/json\nX-Probe: gatewatch\n</textarea>"), edit);
        assertTrue(edit.contains("value=\"9.9.9.9, 149.112.112.112\"") && edit.contains("value=\"8.8.8.8\" checked")
                && !edit.contains("value=\"1.1.1.1\" checked"), edit);
        assertTrue(edit.contains("value=\"" + channel + "\" checked"), edit);
        assertTrue(edit.contains("name=\"quickConfirmation\" value=\"on\" ")
                && !edit.contains("name=\"quickConfirmation\" value=\"on\" checked"), "shown off as saved");
        form(owner, Map.of("name", "Shop", "url", "http://127.0.0.1:1/health", "quickConfirmation", "on"))
                .post("/monitors/" + id + "/edit").then().statusCode(303);
        owner.api().get("/api/v1/monitors/" + id).then().body("alertPolicy.quickConfirmation", equalTo(true));
    }

    @Test
    void theApisRefusalsShowNextToTheirFieldsAndKeepWhatWasTyped() {
        TestOwner owner = Owners.create();
        String page = form(owner, Map.of("name", "Shop", "url", "ftp://shop.test/", "intervalSeconds", "5", "timeoutMs", "1000"))
                .post("/monitors").then().statusCode(400).extract().asString();
        assertTrue(page.contains("id=\"url-error\">URL must start with http:// or https://</p>"), page);
        assertTrue(page.contains("id=\"interval-error\">Interval must be between 10 and 86400</p>"), page);
        assertTrue(page.contains("aria-invalid=\"true\" aria-describedby=\"url-error\"")
                && page.contains("aria-invalid=\"true\" aria-describedby=\"interval-error\""), page);
        assertTrue(page.contains("value=\"ftp://shop.test/\"") && page.contains("value=\"5\"") && page.contains("value=\"Shop\""),
                "what was typed is kept");
        assertFalse(page.contains("id=\"name-error\""), "only the bad fields are marked");

        // the SSRF guard's refusal is an error on the URL
        form(owner, Map.of("name", "Inside", "url", "http://10.1.2.3/admin")).post("/monitors").then().statusCode(400)
                .body(containsString("id=\"url-error\">URL points inside a private network and is refused"))
                .body(containsString("value=\"http://10.1.2.3/admin\""));
        // list items and headers say which one is wrong
        String lists = form(owner, Map.of("name", "Lists", "url", "http://127.0.0.1:1/", "otherResolvers", "10.0.0.53",
                "regions", "eu_west", "headers", "Host: other.example"))
                .post("/monitors").then().statusCode(400).extract().asString();
        assertTrue(lists.contains("id=\"resolvers-error\">Resolvers: &#39;10.0.0.53&#39; points inside a private network"), lists);
        assertTrue(lists.contains("id=\"regions-error\">Regions: &#39;eu_west&#39; must be a region name"), lists);
        assertTrue(lists.contains("id=\"headers-error\">Headers: Host is set by the checker and cannot be overridden"), lists);
        // what the form itself cannot read is said before the API is asked
        form(owner, Map.of("name", "Typo", "url", "http://127.0.0.1:1/", "timeoutMs", "ten seconds", "headers", "X-Probe"))
                .post("/monitors").then().statusCode(400)
                .body(containsString("id=\"timeout-error\">Timeout must be a whole number"))
                .body(containsString("id=\"headers-error\">Headers: line &#39;X-Probe&#39; is not Name: value"))
                .body(containsString("value=\"ten seconds\""));
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(0));
    }

    @Test
    void editingKeepsWhatOnlyTheApiSets() {
        TestOwner owner = Owners.create();
        long id = ((Number) owner.api().body("""
                {"name":"API health","url":"https://127.0.0.1:1/api","jsonAssertions":[{"path":"$.status","op":"equals","value":"ok"}],
                 "followRedirects":false,"maxRedirects":0,"minTlsValidityDays":21,"resolvers":["system"],"regions":["eu-west"]}
                """).post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        String edit = owner.web().get("/monitors/" + id + "/edit").then().statusCode(200).extract().asString();
        assertTrue(edit.contains("jsonAssertions") && edit.contains("saving this form keeps them"), "the form says where the rest is set");

        form(owner, Map.of("name", "API health v2", "url", "https://127.0.0.1:1/api/v2", "method", "GET", "intervalSeconds", "120",
                "timeoutMs", "10000", "regions", "eu-west", "confirmationWindowSeconds", "60", "successThreshold", "2"))
                .formParam("resolvers", "system")
                .post("/monitors/" + id + "/edit").then().statusCode(303).header("Location", endsWith("/monitors/" + id + "/edit?saved=1"));
        owner.api().get("/api/v1/monitors/" + id).then().statusCode(200)
                .body("name", equalTo("API health v2")).body("url", equalTo("https://127.0.0.1:1/api/v2")).body("intervalSeconds", equalTo(120))
                .body("jsonAssertions[0].path", equalTo("$.status")).body("jsonAssertions[0].value", equalTo("ok"))
                .body("followRedirects", equalTo(false)).body("maxRedirects", equalTo(0)).body("minTlsValidityDays", equalTo(21))
                .body("resolvers", equalTo(List.of("system")));
        owner.web().get("/monitors/" + id + "/edit?saved=1").then().statusCode(200).body(containsString("Saved."));

        // moving to http drops the certificate check instead of refusing a field the form does not show
        form(owner, Map.of("name", "API health v2", "url", "http://127.0.0.1:1/api/v2"))
                .post("/monitors/" + id + "/edit").then().statusCode(303);
        owner.api().get("/api/v1/monitors/" + id).then().body("minTlsValidityDays", equalTo(null))
                .body("jsonAssertions.size()", equalTo(1)).body("followRedirects", equalTo(false));

        // a refused edit shows the error and changes nothing
        form(owner, Map.of("name", "", "url", "http://127.0.0.1:1/api/v3")).post("/monitors/" + id + "/edit").then().statusCode(400)
                .body(containsString("id=\"name-error\">Name is required")).body(containsString("value=\"http://127.0.0.1:1/api/v3\""));
        owner.api().get("/api/v1/monitors/" + id).then().body("name", equalTo("API health v2"));
    }

    @Test
    void pauseResumeAndDeleteAfterConfirmation() {
        TestOwner owner = Owners.create();
        long id = monitor(owner, "Shop");
        owner.web().formParam("csrf", owner.csrf()).post("/monitors/" + id + "/pause").then().statusCode(303)
                .header("Location", endsWith("/monitors/" + id + "/edit?paused=1"));
        owner.api().get("/api/v1/monitors/" + id).then().body("paused", equalTo(true));
        owner.web().get("/monitors/" + id + "/edit?paused=1").then().statusCode(200)
                .body(containsString("Paused: no checks run until you resume it.")).body(containsString("action=\"/monitors/" + id + "/resume\""));
        owner.web().formParam("csrf", owner.csrf()).post("/monitors/" + id + "/resume").then().statusCode(303)
                .header("Location", endsWith("/monitors/" + id + "/edit?resumed=1"));
        owner.api().get("/api/v1/monitors/" + id).then().body("paused", equalTo(false));

        owner.web().formParam("csrf", owner.csrf()).post("/monitors/" + id + "/delete").then().statusCode(400)
                .body(containsString("id=\"confirm-error\">Tick the box to confirm the deletion.")).body(not(containsString("id=\"form-errors\"")));
        owner.api().get("/api/v1/monitors/" + id).then().statusCode(200);
        owner.web().formParam("csrf", owner.csrf()).formParam("confirm", "yes").post("/monitors/" + id + "/delete").then().statusCode(303)
                .header("Location", equalTo("/"));
        owner.api().get("/api/v1/monitors/" + id).then().statusCode(404);
    }

    @Test
    void formsWithoutTheCsrfTokenAndOtherOwnersMonitorsAreRefused() {
        TestOwner owner = Owners.create();
        TestOwner other = Owners.create();
        long id = monitor(owner, "Mine");
        owner.web().formParam("name", "x").formParam("url", "http://127.0.0.1:1/").post("/monitors").then().statusCode(403);
        owner.web().formParam("csrf", "forged-forged-forged").formParam("name", "x").post("/monitors/" + id + "/edit").then().statusCode(403);
        owner.web().post("/monitors/" + id + "/pause").then().statusCode(403);
        owner.web().formParam("confirm", "yes").post("/monitors/" + id + "/delete").then().statusCode(403);
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(1));
        owner.api().get("/api/v1/monitors/" + id).then().body("name", equalTo("Mine")).body("paused", equalTo(false));

        other.web().get("/monitors/" + id + "/edit").then().statusCode(404);
        form(other, Map.of("name", "taken", "url", "http://127.0.0.1:1/")).post("/monitors/" + id + "/edit").then().statusCode(404);
        other.web().formParam("csrf", other.csrf()).post("/monitors/" + id + "/pause").then().statusCode(404);
        other.web().formParam("csrf", other.csrf()).post("/monitors/" + id + "/resume").then().statusCode(404);
        other.web().formParam("csrf", other.csrf()).formParam("confirm", "yes").post("/monitors/" + id + "/delete").then().statusCode(404);
        owner.api().get("/api/v1/monitors/" + id).then().statusCode(200).body("name", equalTo("Mine")).body("paused", equalTo(false));
        // and the add form does not offer another owner's channels
        long channel = channel(owner, "mine-ops");
        other.web().get("/monitors/new").then().statusCode(200).body(not(containsString("name=\"channels\" value=\"" + channel + "\"")));
    }

    private static RequestSpecification form(TestOwner owner, Map<String, String> fields) {
        return owner.web().formParam("csrf", owner.csrf()).formParams(fields);
    }

    private static long monitor(TestOwner owner, String name) {
        return ((Number) owner.api().body("{\"name\":\"" + name + "\",\"url\":\"http://127.0.0.1:1/\"}").post("/api/v1/monitors")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    private static long channel(TestOwner owner, String name) {
        return ((Number) owner.api().body("{\"type\":\"slack\",\"name\":\"" + name + "\",\"secrets\":{\"webhookUrl\":\"http://127.0.0.1:9/hook\"}}")
                .post("/api/v1/channels").then().statusCode(201).extract().path("id")).longValue();
    }
}
