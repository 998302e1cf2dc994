package dev.gatewatch.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformEndpointsTest {

    @TestHTTPResource("/")
    java.net.URL publicRoot;

    @Test
    void healthAndMetricsAnswerOnTheManagementPortOnly() {
        assertNotEquals(publicRoot.getPort(), Management.port());
        Management.given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200);
        Management.given().get("/q/health/live").then().statusCode(200);
        given().get("/login").then().statusCode(200); // so that an HTTP request has been timed, whichever test ran before
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"))
                .body(containsString("http_server_requests_seconds"));
        // the public port serves neither, to anyone, whatever the path's spelling
        for (String path : new String[] { "/q/health", "/q/health/ready", "/q/health/live", "/q/metrics", "/q/metrics/",
                "/q/../q/metrics" }) {
            int status = given().redirects().follow(false).get(path).then().extract().statusCode();
            assertTrue(status == 404 || status == 302 || status == 401, path + " answered " + status + " on the public port");
            String body = given().redirects().follow(false).get(path).asString();
            assertTrue(!body.contains("jvm_memory") && !body.contains("\"checks\""), path + " leaked: " + body);
        }
    }

    @Test
    void theApiDocumentStaysOnThePublicPort() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/monitors'.post", notNullValue())
                .body("paths.'/api/v1/monitors/{monitorId}/pause'.post", notNullValue());
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static final Pattern URI_COUNT = Pattern.compile(
            "^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"[^}]*} ([0-9.E]+)$", Pattern.MULTILINE);

    /** Requests counted per uri tag, over every method and status. */
    private static Map<String, Double> requestsByUri() {
        Matcher m = URI_COUNT.matcher(Management.given().get("/q/metrics").then().statusCode(200).extract().asString());
        Map<String, Double> counts = new TreeMap<>();
        while (m.find()) {
            counts.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return counts;
    }

    /** The review's finding: anonymous 401/405s used up the 100-tag budget, so real endpoints stopped being measured. */
    @Test
    void twoHundredAnonymousRequestsToRandomPathsAddAtMostOneUriTag() {
        Map<String, Double> before = requestsByUri();
        String[] methods = { "GET", "POST", "DELETE", "PUT", "PATCH", "BREW" };
        for (int i = 0; i < 200; i++) {
            String random = UUID.randomUUID().toString();
            String path = switch (i % 5) {
                case 0 -> "/api/v1/" + random;                  // 401: no token
                case 1 -> "/" + random;                         // 302 to the login form
                case 2 -> "/status/" + random + "/x/" + i;      // public, no such route: 404
                case 3 -> "/static/" + random + ".css";         // public, no such file: 404
                default -> "/q/" + random;                      // nothing under /q/ but the API document
            };
            given().redirects().follow(false).request(methods[i % methods.length], path);
        }
        Map<String, Double> after = requestsByUri();
        Set<String> grown = new TreeSet<>();
        after.forEach((uri, n) -> {
            if (n > before.getOrDefault(uri, 0.0)) {
                grown.add(uri);
            }
        });
        assertEquals(1, grown.size(), "uri tags the 200 random requests were counted under: " + grown);
        Set<String> added = new TreeSet<>(after.keySet());
        added.removeAll(before.keySet());
        assertTrue(added.size() <= 1, "uri tags added: " + added);
        // the 40 under /q/ are not measured at all (Quarkus leaves non-application paths out)
        assertEquals(160.0, after.get(grown.iterator().next()) - before.getOrDefault(grown.iterator().next(), 0.0), 0.0,
                "all the others counted there: " + grown);
        // and a real endpoint is still measured under its own tag
        given().get("/login").then().statusCode(200);
        assertTrue(requestsByUri().containsKey("/login"), requestsByUri().toString());
    }
}
