package dev.gatewatch.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformEndpointsTest {

    @Test
    void healthMetricsOpenApiAndSwaggerAnswer() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/login").then().statusCode(200); // so that an HTTP request has been timed, whichever test ran before
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"))
                .body(containsString("http_server_requests_seconds"));
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/monitors'.post", notNullValue())
                .body("paths.'/api/v1/monitors/{monitorId}/pause'.post", notNullValue());
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void embeddedDatabaseIsInUseWhenNoUrlIsConfigured() {
        if (System.getenv("QUARKUS_DATASOURCE_JDBC_URL") == null) {
            org.junit.jupiter.api.Assertions.assertNotNull(System.getProperty(EmbeddedDatabaseConfigSourceFactory.STARTED_URL));
        }
    }
}
