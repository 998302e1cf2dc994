package dev.gatewatch.alerting;

import static dev.gatewatch.support.Labels.assertEveryControlLabelled;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** The maintenance window pages of the web UI, driven as a browser posts them, checked through the API. */
@QuarkusTest
class MaintenancePagesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aOneOffWindowIsAddedInItsTimeZoneListedAndEdited() {
        TestOwner owner = Owners.create();
        long shop = monitor(owner, "shop");
        monitor(owner, "blog");
        String empty = owner.web().get("/maintenance").then().statusCode(200).extract().asString();
        assertTrue(empty.contains("No maintenance windows yet") && empty.contains("name=\"monitorIds\" value=\"" + shop + "\""), empty);
        assertEveryControlLabelled(empty);

        LocalDateTime start = LocalDateTime.now(BERLIN).plusDays(10).truncatedTo(ChronoUnit.HOURS);
        form(owner, Map.of("name", "DB upgrade", "kind", "once", "timeZone", "Europe/Berlin", "startsAt", start.toString(),
                "endsAt", start.plusMinutes(90).toString(), "monitorIds", Long.toString(shop)))
                .post("/maintenance").then().statusCode(303).header("Location", endsWith("/maintenance?saved=1"));
        Instant startsAt = start.atZone(BERLIN).toInstant();
        long id = ((Number) owner.api().get("/api/v1/maintenance-windows").then().statusCode(200)
                .body("[0].name", equalTo("DB upgrade")).body("[0].monitorIds", equalTo(List.of((int) shop)))
                .body("[0].startsAt", equalTo(startsAt.toString())).body("[0].endsAt", equalTo(startsAt.plusSeconds(5400).toString()))
                .body("[0].recurrence", nullValue()).extract().path("[0].id")).longValue();

        String list = owner.web().get("/maintenance?saved=1").then().statusCode(200).extract().asString();
        assertTrue(list.contains("Maintenance window added.") && list.contains("<a href=\"/maintenance/" + id + "\">DB upgrade</a>"), list);
        String utc = LocalDateTime.ofInstant(startsAt, ZoneOffset.UTC).toString().replace('T', ' ');
        assertTrue(list.contains(utc) && list.contains("next ") && list.contains("<td>shop</td>"), list);

        // the edit form shows it in UTC; saving it unchanged keeps the same instants
        String edit = owner.web().get("/maintenance/" + id).then().statusCode(200).extract().asString();
        assertEveryControlLabelled(edit);
        String shownStart = LocalDateTime.ofInstant(startsAt, ZoneOffset.UTC).toString();
        assertTrue(edit.contains("name=\"startsAt\" type=\"datetime-local\" value=\"" + shownStart + "\"")
                && edit.contains("value=\"UTC\"") && edit.contains("value=\"" + shop + "\" checked"), edit);
        form(owner, Map.of("name", "DB upgrade (all)", "kind", "once", "timeZone", "UTC", "startsAt", shownStart,
                "endsAt", LocalDateTime.ofInstant(startsAt.plusSeconds(5400), ZoneOffset.UTC).toString()))
                .post("/maintenance/" + id).then().statusCode(303).header("Location", endsWith("/maintenance/" + id + "?saved=1"));
        owner.api().get("/api/v1/maintenance-windows/" + id).then().statusCode(200).body("name", equalTo("DB upgrade (all)"))
                .body("startsAt", equalTo(startsAt.toString())).body("monitorIds", equalTo(List.of()));
        owner.web().get("/maintenance").then().body(containsString("<td>all monitors</td>"));
    }

    @Test
    void aRepeatingWindowTakesDaysTimeDurationZoneAndBounds() {
        TestOwner owner = Owners.create();
        LocalDateTime until = LocalDateTime.now(BERLIN).plusDays(60).truncatedTo(ChronoUnit.DAYS);
        form(owner, Map.of("name", "Weekend deploys", "kind", "repeat", "timeZone", "Europe/Berlin", "start", "02:00",
                "durationMinutes", "90", "until", until.toString(), "startsAt", "ignored for a repeating window"))
                .formParam("days", "SUNDAY").formParam("days", "SATURDAY")
                .post("/maintenance").then().statusCode(303);
        long id = ((Number) owner.api().get("/api/v1/maintenance-windows").then().statusCode(200)
                .body("[0].recurrence.days", equalTo(List.of("SATURDAY", "SUNDAY"))).body("[0].recurrence.start", equalTo("02:00"))
                .body("[0].recurrence.durationMinutes", equalTo(90)).body("[0].recurrence.timeZone", equalTo("Europe/Berlin"))
                .body("[0].startsAt", nullValue()).body("[0].endsAt", equalTo(until.atZone(BERLIN).toInstant().toString()))
                .extract().path("[0].id")).longValue();
        owner.web().get("/maintenance").then().statusCode(200)
                .body(containsString("Sat, Sun at 02:00 for 1 h 30 min (Europe/Berlin), until "));
        String edit = owner.web().get("/maintenance/" + id).then().statusCode(200).extract().asString();
        assertTrue(edit.contains("id=\"mw-repeat\" name=\"kind\" value=\"repeat\" checked") && edit.contains("value=\"SUNDAY\" checked")
                && !edit.contains("value=\"MONDAY\" checked") && edit.contains("value=\"Europe/Berlin\"")
                && edit.contains("name=\"until\" type=\"datetime-local\" value=\"" + until + "\""), edit);

        // daily from now on: no days ticked
        form(owner, Map.of("name", "Nightly", "kind", "repeat", "timeZone", "Europe/Berlin", "start", "02:00", "durationMinutes", "30"))
                .post("/maintenance/" + id).then().statusCode(303);
        owner.api().get("/api/v1/maintenance-windows/" + id).then().body("recurrence.days", equalTo(List.of())).body("endsAt", nullValue());
    }

    @Test
    void theWindowOnNowIsMarked() {
        TestOwner owner = Owners.create();
        Instant now = Instant.now();
        owner.api().body("{\"name\":\"Migration\",\"startsAt\":\"" + now.minusSeconds(600) + "\",\"endsAt\":\"" + now.plusSeconds(3600) + "\"}")
                .post("/api/v1/maintenance-windows").then().statusCode(201);
        owner.web().get("/maintenance").then().statusCode(200).body(containsString("<strong class=\"state-paused\">on now, until "));
    }

    @Test
    void theApisRefusalsShowNextToTheirFieldsAndKeepWhatWasTyped() {
        TestOwner owner = Owners.create();
        TestOwner other = Owners.create();
        long theirs = monitor(other, "theirs");
        LocalDateTime start = LocalDateTime.now(BERLIN).plusDays(3).truncatedTo(ChronoUnit.MINUTES);
        String page = form(owner, Map.of("name", "", "kind", "once", "timeZone", "Europe/Berlin", "startsAt", start.toString(),
                "endsAt", start.minusHours(1).toString(), "monitorIds", Long.toString(theirs)))
                .post("/maintenance").then().statusCode(400).extract().asString();
        assertTrue(page.contains("id=\"name-error\">Name must be 1 to 100 characters"), page);
        assertTrue(page.contains("aria-invalid=\"true\" aria-describedby=\"ends-error\"")
                && page.contains("id=\"ends-error\">End must be after startsAt"), page);
        assertTrue(page.contains("id=\"monitors-error\">Monitors: is not one of your monitors"), page);
        assertTrue(page.contains("value=\"" + start + "\"") && page.contains("value=\"Europe/Berlin\""), "what was typed is kept");

        form(owner, Map.of("name", "Once", "kind", "once", "startsAt", start.toString())).post("/maintenance").then().statusCode(400)
                .body(containsString("id=\"ends-error\">End is required for a one-off window"));
        form(owner, Map.of("name", "Mars", "kind", "once", "timeZone", "Mars/Olympus", "startsAt", start.toString(),
                "endsAt", start.plusHours(1).toString())).post("/maintenance").then().statusCode(400)
                .body(containsString("id=\"zone-error\">Time zone must be a time zone such as Europe/Berlin or UTC"))
                .body(containsString("value=\"Mars/Olympus\""));
        form(owner, Map.of("name", "Repeat", "kind", "repeat", "start", "25:00", "durationMinutes", "0")).post("/maintenance").then()
                .statusCode(400).body(containsString("id=\"start-error\">Start time must be a local time such as 02:00"))
                .body(containsString("id=\"duration-error\">Duration must be between 1 and 10080"))
                .body(not(containsString("id=\"ends-error\"")));
        form(owner, Map.of("name", "Repeat", "kind", "repeat", "start", "02:00", "durationMinutes", "an hour")).post("/maintenance").then()
                .statusCode(400).body(containsString("id=\"duration-error\">Duration must be a whole number"))
                .body(containsString("value=\"an hour\""));
        owner.api().get("/api/v1/maintenance-windows").then().body("size()", equalTo(0));
    }

    @Test
    void deleteCsrfAndOtherOwnersWindows() {
        TestOwner owner = Owners.create();
        TestOwner other = Owners.create();
        long id = ((Number) owner.api().body("{\"name\":\"Nightly\",\"recurrence\":{\"start\":\"02:00\",\"durationMinutes\":30}}")
                .post("/api/v1/maintenance-windows").then().statusCode(201).extract().path("id")).longValue();

        owner.web().formParam("name", "x").formParam("kind", "repeat").post("/maintenance").then().statusCode(403);
        owner.web().formParam("csrf", "forged-forged-forged").formParam("name", "x").post("/maintenance/" + id).then().statusCode(403);
        owner.web().post("/maintenance/" + id + "/delete").then().statusCode(403);

        other.web().get("/maintenance/" + id).then().statusCode(404);
        form(other, Map.of("name", "taken", "kind", "repeat", "start", "03:00", "durationMinutes", "5")).post("/maintenance/" + id)
                .then().statusCode(404);
        other.web().formParam("csrf", other.csrf()).post("/maintenance/" + id + "/delete").then().statusCode(404);
        other.web().get("/maintenance").then().statusCode(200).body(not(containsString("Nightly")));
        owner.api().get("/api/v1/maintenance-windows/" + id).then().statusCode(200).body("name", equalTo("Nightly"))
                .body("recurrence.start", equalTo("02:00"));

        owner.web().formParam("csrf", owner.csrf()).post("/maintenance/" + id + "/delete").then().statusCode(303)
                .header("Location", endsWith("/maintenance?deleted=1"));
        owner.api().get("/api/v1/maintenance-windows/" + id).then().statusCode(404);
        owner.web().get("/maintenance?deleted=1").then().body(containsString("Maintenance window deleted."));
    }

    private static RequestSpecification form(TestOwner owner, Map<String, String> fields) {
        return owner.web().formParam("csrf", owner.csrf()).formParams(fields);
    }

    private static long monitor(TestOwner owner, String name) {
        return ((Number) owner.api().body("{\"name\":\"" + name + "\",\"url\":\"http://127.0.0.1:1/" + name + "\"}").post("/api/v1/monitors")
                .then().statusCode(201).extract().path("id")).longValue();
    }
}
