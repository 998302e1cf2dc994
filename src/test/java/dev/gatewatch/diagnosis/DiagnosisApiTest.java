package dev.gatewatch.diagnosis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.diagnosis.service.DiagnosisStore;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Diagnosis as the API and the pages refuse it: off for anonymous use by default, no checker to ask, not yours, not there. */
@QuarkusTest
class DiagnosisApiTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void withoutAnAccountItIsOffUnlessTheOperatorTurnsItOn() {
        Response api = given().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1/")).post("/api/v1/diagnose");
        assertEquals(404, api.statusCode(), api.asString());
        assertEquals("application/problem+json", api.contentType());
        assertTrue(api.jsonPath().getString("detail").contains("not enabled"), api.asString());
        String page = given().get("/diagnose").then().statusCode(404).extract().asString();
        assertTrue(page.contains("is not enabled on this installation"), page);
    }

    @Test
    void withNoCheckerRunningAnOwnersDiagnosisIsRefusedWithRetryAfterAndNothingIsStored() {
        // this profile runs no checker; nodes other tests' checkers registered have stopped
        Sql.update(dataSource, "update checker_node set stopped_at = coalesce(stopped_at, now())");
        TestOwner owner = Owners.create();
        long monitor = owner.api().body(Map.of("name", "m", "url", "http://127.0.0.1:9/", "resolvers", List.of("system")))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
        Response r = owner.api().post("/api/v1/monitors/" + monitor + "/diagnose");
        assertEquals(503, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertNotNull(r.header("Retry-After"));
        assertTrue(r.jsonPath().getString("detail").contains("No checker of any region"), r.asString());
        assertEquals(0, Sql.number(dataSource, "select count(*) from diagnosis where monitor_id = ?", monitor));
    }

    @Test
    void anotherOwnersMonitorAndAnUnknownDiagnosisAreNotFound() {
        TestOwner alice = Owners.create();
        TestOwner bob = Owners.create();
        long monitor = alice.api().body(Map.of("name", "m", "url", "http://127.0.0.1:9/", "resolvers", List.of("system")))
                .post("/api/v1/monitors").then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals(404, bob.api().post("/api/v1/monitors/" + monitor + "/diagnose").statusCode());
        assertEquals(404, bob.api().get("/api/v1/monitors/" + monitor + "/diagnoses").statusCode());
        Response unknown = given().get("/api/v1/diagnoses/" + UUID.randomUUID());
        assertEquals(404, unknown.statusCode());
        assertEquals("application/problem+json", unknown.contentType());
        Response malformed = given().get("/api/v1/diagnoses/not-an-id");
        assertTrue(malformed.statusCode() == 404 || malformed.statusCode() == 400, malformed.asString());
        assertEquals("application/problem+json", malformed.contentType());
        assertEquals(404, given().redirects().follow(false).get("/diagnose/" + UUID.randomUUID()).statusCode());
    }

    @Test
    void thePurgeRemovesExpiredDiagnosesWithTheirChecksAndForgetsClientKeysAfterAnHour() throws Exception {
        String expired = UUID.randomUUID().toString();
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        String insert = """
                insert into diagnosis (id, url, url_key, probe, resolvers, regions, slow_ms, client_key, created_at, deadline_at, expires_at)
                values (?::uuid, 'http://purge.test/', 'http://purge.test', '[]', '{system}', '{test}', 3000, 'k',
                        now() - ? * interval '1 minute', now(), now() + ? * interval '1 minute')
                """;
        Sql.update(dataSource, insert, expired, 10, -1);
        Sql.update(dataSource, insert, old, 61, 60);
        Sql.update(dataSource, insert, recent, 59, 60);
        Sql.update(dataSource, "insert into diagnosis_task (diagnosis_id, region) values (?::uuid, 'test')", expired);
        try {
            new DiagnosisStore(dataSource).purge(java.time.Duration.ofHours(1));
            assertEquals(0, Sql.number(dataSource, "select count(*) from diagnosis where id = ?::uuid", expired), "expired: gone");
            assertEquals(0, Sql.number(dataSource, "select count(*) from diagnosis_task where diagnosis_id = ?::uuid", expired),
                    "its tasks went with it");
            assertEquals(1, Sql.number(dataSource, "select count(*) from diagnosis where id = ?::uuid and client_key is null", old),
                    "over an hour old: kept, its client key forgotten");
            assertEquals(1, Sql.number(dataSource, "select count(*) from diagnosis where id = ?::uuid and client_key = 'k'", recent),
                    "under an hour old: kept with its key (it still counts against the hourly limit)");
        } finally {
            Sql.update(dataSource, "delete from diagnosis where url = 'http://purge.test/'");
        }
    }
}
