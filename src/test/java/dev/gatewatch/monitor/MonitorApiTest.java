package dev.gatewatch.monitor;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MonitorApiTest {

    @Test
    void createAppliesDefaultsAndGetReturnsIt() {
        var owner = Owners.create();
        int id = owner.api().body("{\"name\":\"Shop\",\"url\":\"http://127.0.0.1:8081/health\"}")
                .post("/api/v1/monitors").then().statusCode(201)
                .header("Location", containsString("/api/v1/monitors/")).extract().path("id");
        owner.api().get("/api/v1/monitors/" + id).then().statusCode(200)
                .body("name", equalTo("Shop"))
                .body("url", equalTo("http://127.0.0.1:8081/health"))
                .body("method", equalTo("GET"))
                .body("expectedStatus", equalTo("200-399"))
                .body("intervalSeconds", equalTo(60))
                .body("timeoutMs", equalTo(10000))
                .body("followRedirects", equalTo(true))
                .body("maxRedirects", equalTo(5))
                .body("regions", empty())
                .body("resolvers", contains("system", "1.1.1.1", "8.8.8.8"))
                .body("minTlsValidityDays", nullValue())
                .body("alertPolicy.confirmationWindowSeconds", equalTo(60))
                .body("alertPolicy.successThreshold", equalTo(2))
                .body("alertPolicy.quickConfirmation", equalTo(true))
                .body("paused", equalTo(false));
    }

    @Test
    void everyFieldRoundTrips() {
        var owner = Owners.create();
        String body = """
                {"name":" API health ","url":"https://shop.example.com/api?x=1","method":"post",
                 "headers":{"Accept":"application/json","X-Probe":"gatewatch"},"body":"{\\"ping\\":1}",
                 "expectedStatus":"200-299, 301","bodyAssertions":[{"type":"contains","value":"ok"},{"type":"not_regex","value":"error \\\\d+"}],
                 "jsonAssertions":[{"path":"$.status","op":"equals","value":"ok"},{"path":"$.items[0]['id']","op":"exists"}],
                 "maxResponseTimeMs":2000,"minTlsValidityDays":21,"intervalSeconds":30,"timeoutMs":5000,
                 "followRedirects":false,"maxRedirects":0,"regions":["eu-west","us-east"],
                 "resolvers":["system","9.9.9.9","dns.example.net:5353","[2606:4700:4700::1111]:53"],
                 "alertPolicy":{"confirmationWindowSeconds":120,"successThreshold":3,"quickConfirmation":false}}
                """;
        owner.api().body(body).post("/api/v1/monitors").then().statusCode(201)
                .body("name", equalTo("API health"))
                .body("method", equalTo("POST"))
                .body("headers.X-Probe", equalTo("gatewatch"))
                .body("body", equalTo("{\"ping\":1}"))
                .body("expectedStatus", equalTo("200-299,301"))
                .body("bodyAssertions[1].type", equalTo("not_regex"))
                .body("jsonAssertions[1].path", equalTo("$.items[0]['id']"))
                .body("jsonAssertions[1].value", nullValue())
                .body("minTlsValidityDays", equalTo(21))
                .body("regions", contains("eu-west", "us-east"))
                .body("resolvers", contains("system", "9.9.9.9", "dns.example.net:5353", "2606:4700:4700::1111"))
                .body("alertPolicy.confirmationWindowSeconds", equalTo(120))
                .body("alertPolicy.quickConfirmation", equalTo(false));
    }

    @Test
    void httpsGetsAFourteenDayCertificateCheckByDefault() {
        var owner = Owners.create();
        owner.api().body("{\"name\":\"tls\",\"url\":\"https://shop.example.com/\"}").post("/api/v1/monitors")
                .then().statusCode(201).body("minTlsValidityDays", equalTo(14));
    }

    @Test
    void listPagesFiltersAndCounts() {
        var owner = Owners.create();
        for (int i = 0; i < 5; i++) {
            owner.api().body("{\"name\":\"site " + i + "\",\"url\":\"http://127.0.0.1/" + i + "\"}").post("/api/v1/monitors")
                    .then().statusCode(201);
        }
        owner.api().get("/api/v1/monitors?page=0&size=2").then().statusCode(200)
                .body("items", hasSize(2)).body("total", equalTo(5)).body("items[0].name", equalTo("site 0"));
        owner.api().get("/api/v1/monitors?page=2&size=2").then().body("items", hasSize(1)).body("items[0].name", equalTo("site 4"));
        owner.api().get("/api/v1/monitors?q=SITE 3").then().body("total", equalTo(1)).body("items[0].name", equalTo("site 3"));
        owner.api().get("/api/v1/monitors?size=0").then().statusCode(400).body("errors[0].field", equalTo("size"));
        owner.api().get("/api/v1/monitors?page=-1").then().statusCode(400).body("errors[0].field", equalTo("page"));
        // page × size past 2^31 would wrap around in the offset: refused, not a 500
        owner.api().get("/api/v1/monitors?page=42949673&size=50").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("page"));
        owner.api().get("/api/v1/monitors?page=x").then().statusCode(400).body("errors[0].field", equalTo("page"));
    }

    @Test
    void updatePauseResumeDelete() {
        var owner = Owners.create();
        int id = owner.api().body("{\"name\":\"a\",\"url\":\"http://127.0.0.1/a\"}").post("/api/v1/monitors").then().extract().path("id");
        owner.api().body("{\"name\":\"b\",\"url\":\"http://127.0.0.1/b\",\"intervalSeconds\":15}").put("/api/v1/monitors/" + id)
                .then().statusCode(200).body("name", equalTo("b")).body("intervalSeconds", equalTo(15));
        owner.api().post("/api/v1/monitors/" + id + "/pause").then().statusCode(200).body("paused", equalTo(true));
        owner.api().get("/api/v1/monitors?paused=true").then().body("total", equalTo(1));
        owner.api().post("/api/v1/monitors/" + id + "/resume").then().statusCode(200).body("paused", equalTo(false));
        // a bad update changes nothing
        owner.api().body("{\"name\":\"\",\"url\":\"ftp://x\"}").put("/api/v1/monitors/" + id).then().statusCode(400);
        owner.api().get("/api/v1/monitors/" + id).then().body("name", equalTo("b")).body("url", equalTo("http://127.0.0.1/b"));
        owner.api().delete("/api/v1/monitors/" + id).then().statusCode(204);
        owner.api().get("/api/v1/monitors/" + id).then().statusCode(404).contentType("application/problem+json");
        owner.api().delete("/api/v1/monitors/" + id).then().statusCode(404);
    }

    @Test
    void dashboardListsRegisteredMonitors() {
        var owner = Owners.create();
        owner.api().body("{\"name\":\"Listed in the browser\",\"url\":\"http://127.0.0.1/listed\"}").post("/api/v1/monitors")
                .then().statusCode(201);
        owner.web().get("/").then().statusCode(200).body(containsString("Listed in the browser"))
                .body(containsString("http://127.0.0.1/listed"));
    }
}
