package dev.gatewatch.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The status page may be framed only by the sites its owner names; every other page by none. */
@QuarkusTest
class StatusPageEmbeddingTest {

    private static String page(String slug, String embed) {
        return "{\"slug\":\"" + slug + "\",\"title\":\"Embed\",\"enabled\":true,\"groups\":[]" + (embed == null ? "" : ",\"embedOrigins\":" + embed) + "}";
    }

    @Test
    void framedOnlyWhereTheOwnerOptedIn() {
        TestOwner owner = Owners.create();
        String slug = "embed-" + UUID.randomUUID().toString().substring(0, 8);
        owner.api().body(page(slug, null)).put("/api/v1/status-page").then().statusCode(200).body("embedOrigins", equalTo(List.of()));
        Response closed = given().get("/status/" + slug);
        assertEquals(200, closed.statusCode());
        assertEquals("DENY", closed.getHeader("X-Frame-Options"));
        assertEquals(true, closed.getHeader("Content-Security-Policy").endsWith("frame-ancestors 'none'"));

        owner.api().body(page(slug, "[\"https://www.example.com/\", \"HTTPS://*.Shop.example:8443\"]")).put("/api/v1/status-page")
                .then().statusCode(200).body("embedOrigins", equalTo(List.of("https://www.example.com", "https://*.shop.example:8443")));
        Response open = given().get("/status/" + slug);
        assertEquals(true, open.getHeader("Content-Security-Policy")
                .endsWith("frame-ancestors https://www.example.com https://*.shop.example:8443"), open.getHeader("Content-Security-Policy"));
        assertEquals(true, open.getHeader("Content-Security-Policy").contains("script-src 'self'"), "the rest of the policy holds");
        assertNull(open.getHeader("X-Frame-Options"), "it would forbid every frame");
        // the owner's own pages stay unframeable
        assertEquals("DENY", owner.web().get("/status-page").getHeader("X-Frame-Options"));

        owner.api().body(page(slug, "[\"*\"]")).put("/api/v1/status-page").then().statusCode(200);
        assertEquals(true, given().get("/status/" + slug).getHeader("Content-Security-Policy").endsWith("frame-ancestors *"));
    }

    @Test
    void originsThatAreNotOriginsAreRefusedByIndex() {
        TestOwner owner = Owners.create();
        String slug = "embed-" + UUID.randomUUID().toString().substring(0, 8);
        owner.api().body(page(slug, "[\"https://ok.example\", \"https://x.example/path\", \"javascript:alert(1)\", \"https://a.example; script-src *\", \"*\"]"))
                .put("/api/v1/status-page").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("embedOrigins[1]", "embedOrigins[2]", "embedOrigins[3]", "embedOrigins[4]"));
        String eleven = "[" + String.join(",", java.util.Collections.nCopies(11, "\"https://a.example\"")) + "]";
        owner.api().body(page(slug, eleven)).put("/api/v1/status-page").then().statusCode(400).body("errors.field", hasItems("embedOrigins"));
    }

    @Test
    void theSettingsFormSetsThemToo() {
        TestOwner owner = Owners.create();
        String slug = "embed-" + UUID.randomUUID().toString().substring(0, 8);
        owner.web().formParam("csrf", owner.csrf()).formParam("slug", slug).formParam("title", "Embed").formParam("enabled", "on")
                .formParam("embedOrigins", "https://www.example.com, https://intranet.example").post("/status-page").then().statusCode(303);
        owner.api().get("/api/v1/status-page").then().body("embedOrigins", equalTo(List.of("https://www.example.com", "https://intranet.example")));
        owner.web().get("/status-page").then().body(containsString("value=\"https://www.example.com, https://intranet.example\""));
        owner.web().formParam("csrf", owner.csrf()).formParam("slug", slug).formParam("title", "Embed")
                .formParam("embedOrigins", "ftp://nope").post("/status-page").then().statusCode(400)
                .body(containsString("id=\"embed-error\""));
    }
}
