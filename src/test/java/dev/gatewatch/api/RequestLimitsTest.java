package dev.gatewatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The limits on a request's size: a URI over 8 KiB is a 414 problem, a body over 1 MiB sent in chunks (no
 * Content-Length to refuse it by up front) a 413 that stores nothing. OpenApiContractTest sends a 10 KiB URI and a
 * declared body over 1 MiB to every operation and requires problem+json.
 */
@QuarkusTest
class RequestLimitsTest {

    @TestHTTPResource("/")
    URI base;

    // HTTP/1.1 as browsers and curl speak it in the clear (no h2c upgrade)
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aChunkedBodyOverTheLimitIs413AndNothingIsStored() throws Exception {
        TestOwner owner = Owners.create();
        byte[] huge = ("{\"name\":\"big\",\"url\":\"http://127.0.0.1/\",\"body\":\"" + "x".repeat(1_200_000) + "\"}").getBytes();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/monitors"))
                .header("Authorization", "Bearer " + owner.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE), r.headers().toString());
        assertTrue(r.body().contains("\"status\":413"), r.body());
        owner.api().get("/api/v1/monitors").then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(0));
        // a chunked body within the limit goes through as usual, JSON and form alike
        byte[] small = "{\"name\":\"chunked\",\"url\":\"http://127.0.0.1/\"}".getBytes();
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/monitors"))
                .header("Authorization", "Bearer " + owner.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, ok.statusCode(), ok.body());
        byte[] form = ("name=chunked-token&csrf=" + owner.csrf()).getBytes();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/account/tokens"))
                .header("Cookie", Owners.SESSION + "=" + owner.session() + "; gw-csrf=" + owner.csrf())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, page.statusCode(), page.body());
        owner.api().get("/api/v1/tokens").then().body("name", org.hamcrest.Matchers.hasItem("chunked-token"));
    }

    @Test
    void aUriOver8KiBIs414AsAProblem() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/monitors?q=" + "x".repeat(9000))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(414, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE), r.headers().toString());
        assertTrue(r.body().contains("at most 8192"), r.body());
        // a URI of 8 KiB is still served
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(base.resolve("/login?x=" + "x".repeat(8000))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), ok.body());
    }
}
