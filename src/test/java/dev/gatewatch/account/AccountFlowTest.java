package dev.gatewatch.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;
import javax.sql.DataSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import io.quarkus.test.junit.QuarkusTest;

@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
class AccountFlowTest {

    @Inject
    DataSource db;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "gatewatch.web.login.bcrypt-cost")
    int bcryptCost;

    @Test
    void signUpLogInCreateTokenAndUseIt() throws Exception {
        var owner = Owners.create();
        owner.api().get("/api/v1/monitors").then().statusCode(200);
        owner.web().get("/").then().statusCode(200).body(containsString(owner.email()));

        try (var c = db.getConnection(); var st = c.prepareStatement("select password_hash from owner where email = ?")) {
            st.setString(1, owner.email());
            var rs = st.executeQuery();
            assertTrue(rs.next());
            String hash = rs.getString(1);
            assertTrue(hash.matches("\\$2[aby]\\$" + String.format("%02d", bcryptCost) + "\\$.{53}"), "bcrypt at the configured work factor: " + hash);
            assertFalse(hash.contains(owner.password()));
        }
        try (var c = db.getConnection(); var st = c.prepareStatement(
                "select count(*) from api_token t join owner o on o.id = t.owner_id where o.email = ? and encode(t.token_hash, 'escape') like ?")) {
            st.setString(1, owner.email());
            st.setString(2, "%" + owner.token().substring(3, 20) + "%");
            var rs = st.executeQuery();
            rs.next();
            assertEquals(0, rs.getInt(1), "the token secret must not be stored");
        }
    }

    @Test
    void tokenListNeverShowsSecretsAndRevokedTokensStopWorking() {
        var owner = Owners.create();
        String second = Owners.createToken(owner.session(), owner.csrf(), "second");
        owner.api().get("/api/v1/tokens").then().statusCode(200)
                .body("name", hasItem("second"))
                .body(not(containsString(second.substring(3))));
        long id = ((Number) given().header("Authorization", "Bearer " + second).get("/api/v1/tokens")
                .then().extract().path("find { it.name == 'second' }.id")).longValue();
        given().header("Authorization", "Bearer " + second).get("/api/v1/monitors").then().statusCode(200);
        owner.api().delete("/api/v1/tokens/" + id).then().statusCode(200).body("revokedAt", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", "Bearer " + second).get("/api/v1/monitors").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        owner.api().get("/api/v1/monitors").then().statusCode(200);
    }

    @Test
    void tokensViaApiAreShownOnceAndValidated() {
        var owner = Owners.create();
        String secret = owner.api().body("{\"name\":\"ci\",\"expiresInDays\":30}").post("/api/v1/tokens")
                .then().statusCode(201).body("token.expiresAt", org.hamcrest.Matchers.notNullValue())
                .extract().path("secret");
        given().header("Authorization", "Bearer " + secret).get("/api/v1/monitors").then().statusCode(200);
        owner.api().body("{\"name\":\"\",\"expiresInDays\":0}").post("/api/v1/tokens").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("expiresInDays"));
    }

    @Test
    void apiRefusesMissingMalformedAndUnknownTokens() {
        given().get("/api/v1/monitors").then().statusCode(401);
        given().header("Authorization", "Bearer nonsense").get("/api/v1/monitors").then().statusCode(401);
        given().header("Authorization", "Bearer gw_" + "A".repeat(43)).get("/api/v1/monitors").then().statusCode(401);
        given().header("Authorization", "Basic Zm9vOmJhcg==").get("/api/v1/monitors").then().statusCode(401);
    }

    @Test
    void sessionCookieDoesNotOpenTheApi() {
        var owner = Owners.create();
        given().cookie(Owners.SESSION, owner.session()).get("/api/v1/monitors").then().statusCode(401);
    }

    @Test
    void signUpRejectsBadInputAndDoesNotTellWhichAddressesAreRegistered() {
        String csrf = Owners.csrfCookie();
        given().cookie("gw-csrf", csrf).formParam("email", "not-an-email").formParam("password", "short").formParam("csrf", csrf)
                .post("/signup").then().statusCode(400)
                .body(containsString("E-mail must be an e-mail address"))
                .body(containsString("Password must be at least 10 characters"));
        var owner = Owners.create();
        // an address already registered gets the answer a new one gets, and nothing changes
        given().redirects().follow(false).cookie("gw-csrf", csrf).formParam("email", owner.email().toUpperCase())
                .formParam("password", "another-password").formParam("csrf", csrf).post("/signup").then().statusCode(303)
                .header("Location", endsWith("/login?registered=1"));
        given().redirects().follow(false).cookie("gw-csrf", csrf).formParam("email", "new-" + UUID.randomUUID() + "@example.com")
                .formParam("password", "another-password").formParam("csrf", csrf).post("/signup").then().statusCode(303)
                .header("Location", endsWith("/login?registered=1"));
        Owners.login(owner.email(), owner.password());
        assertTrue(Owners.tryLogin(owner.email(), "another-password").statusCode() == 401, "the old password still holds");
        given().cookie("gw-csrf", csrf).formParam("email", "x" + UUID.randomUUID() + "@example.com")
                .formParam("password", "\u00e9".repeat(40)).formParam("csrf", csrf)
                .post("/signup").then().statusCode(400).body(containsString("at most 72 bytes"));
    }

    @Test
    void formsWithoutTheCsrfTokenOrFromAnotherSiteAreRefused() {
        String csrf = Owners.csrfCookie();
        String email = "csrf-" + UUID.randomUUID() + "@example.com";
        given().cookie("gw-csrf", csrf).formParam("email", email).formParam("password", "long-enough-password")
                .post("/signup").then().statusCode(403);
        given().cookie("gw-csrf", csrf).formParam("email", email).formParam("password", "long-enough-password")
                .formParam("csrf", "forged-value-forged-value").post("/signup").then().statusCode(403);
        given().cookie("gw-csrf", csrf).header("Origin", "https://evil.example").formParam("email", email)
                .formParam("password", "long-enough-password").formParam("csrf", csrf)
                .post("/signup").then().statusCode(403);
        var owner = Owners.create();
        // login CSRF: a cross-site page posting the login form is refused before authentication
        given().redirects().follow(false).header("Sec-Fetch-Site", "cross-site").cookie("gw-csrf", csrf)
                .formParam("email", owner.email()).formParam("password", owner.password()).formParam("csrf", csrf)
                .post("/login").then().statusCode(403);
        // and a login form without the CSRF token
        given().redirects().follow(false).formParam("email", owner.email()).formParam("password", owner.password())
                .post("/login").then().statusCode(403);
        owner.web().formParam("name", "x").post("/account/tokens").then().statusCode(403);
        given().get("/login").then().statusCode(200); // nothing was created on the way
        owner.api().get("/api/v1/tokens").then().body("name", not(hasItem("x")));
    }

    @Test
    void wrongPasswordGoesBackToLoginWithAnError() {
        var owner = Owners.create();
        Owners.tryLogin(owner.email(), "wrong-password!").then().statusCode(401)
                .body(containsString("Wrong e-mail or password")).body(containsString("value=\"" + owner.email() + "\""));
    }

    @Test
    void pagesNeedASessionAndLogoutEndsIt() {
        given().redirects().follow(false).get("/account/tokens").then().statusCode(302).header("Location", endsWith("/login"));
        var owner = Owners.create();
        String cleared = owner.web().formParam("csrf", owner.csrf()).post("/logout").then().statusCode(303)
                .extract().header("Set-Cookie");
        assertNotNull(cleared);
        assertTrue(cleared.contains(Owners.SESSION + "=") && cleared.contains("Max-Age=0"), cleared);
    }

    @Test
    void bootstrapAccountFromConfigHasItsToken() {
        given().header("Authorization", "Bearer gw_bootstrapbootstrapbootstrapbootstrap0001")
                .get("/api/v1/tokens").then().statusCode(200).body("name", hasItem("bootstrap"));
        Owners.login("bootstrap@gatewatch.test", "bootstrap-password");
    }
}
