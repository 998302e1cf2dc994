package dev.gatewatch.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** A status page address its owner changed away from cannot be claimed by another owner until its reserve runs out. */
@QuarkusTest
class ReleasedSlugTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    GatewatchConfig config;

    private static void page(TestOwner owner, String slug, int status) {
        owner.api().body("{\"slug\":\"" + slug + "\",\"title\":\"Status\",\"enabled\":true,\"groups\":[]}").put("/api/v1/status-page")
                .then().statusCode(status);
    }

    private Instant reservedUntil(String slug) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = Sql.bind(c.prepareStatement("select reserved_until from released_slug where slug = ?"), slug);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Sql.instant(rs, "reserved_until") : null;
        }
    }

    @Test
    void aReleasedSlugStaysWithItsOwnerForTheReserve() throws Exception {
        String acme = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        String renamed = acme + "-new";
        TestOwner first = Owners.create();
        TestOwner stranger = Owners.create();
        page(first, acme, 200);
        stranger.api().body("{\"slug\":\"" + acme + "\",\"title\":\"Mine\",\"enabled\":true}").put("/api/v1/status-page").then()
                .statusCode(400).body("errors[0].message", equalTo("is taken"));

        // the owner moves to another address: the old one is held for them, for the configured 30 days
        page(first, renamed, 200);
        assertEquals(Duration.ofDays(30), config.web().releasedSlugReserve());
        Instant until = reservedUntil(acme);
        assertTrue(until != null && Math.abs(Duration.between(Instant.now().plus(Duration.ofDays(30)), until).toMinutes()) < 5,
                "reserved until " + until);
        stranger.api().body("{\"slug\":\"" + acme + "\",\"title\":\"Mine\",\"enabled\":true}").put("/api/v1/status-page").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("slug"))
                .body("errors[0].message", containsString("stays reserved for them until"));
        given().get("/status/" + acme).then().statusCode(404); // a visitor's bookmark finds nobody else's page
        given().get("/status/" + renamed).then().statusCode(200);
        stranger.api().get("/api/v1/status-page").then().statusCode(404); // nothing was saved for the stranger

        // the previous owner takes it back; now the other address is the one held for them
        page(first, acme, 200);
        assertEquals(null, reservedUntil(acme));
        given().get("/status/" + acme).then().statusCode(200);
        page(stranger, renamed, 400);

        // once the reserve has run out, anyone may have it
        Sql.update(dataSource, "update released_slug set reserved_until = now() - interval '1 second' where slug = ?", renamed);
        page(stranger, renamed, 200);
        given().get("/status/" + renamed).then().statusCode(200);
        assertEquals(null, reservedUntil(renamed));
    }

    @Test
    void keepingTheSameSlugReleasesNothing() throws Exception {
        String slug = "same-" + UUID.randomUUID().toString().substring(0, 8);
        TestOwner owner = Owners.create();
        page(owner, slug, 200);
        page(owner, slug, 200);
        assertEquals(null, reservedUntil(slug));
    }
}
