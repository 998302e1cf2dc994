package dev.gatewatch.check.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The schedule sync between full passes looks only at monitors changed within its window: a recent edit adds or drops
 * the region's slot at once, a monitor changed long ago only at the next full pass.
 */
@QuarkusTest
class ScheduleSyncTest {

    private static final String REGION = "sync-test"; // no checker of the test app syncs this region
    private static final Duration WINDOW = Duration.ofMinutes(1);

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void dropTheRegion() {
        Sql.update(dataSource, "delete from check_schedule where region = ?", REGION);
    }

    @Test
    void aRecentChangeIsSyncedAtOnceAnOldOneAtTheNextFullPass() throws Exception {
        var owner = Owners.create();
        long recent = monitor(owner, "recent");
        long old = monitor(owner, "old");
        Sql.update(dataSource, "update monitor set updated_at = now() - interval '1 hour' where id = ?", old);
        ScheduleStore store = new ScheduleStore(dataSource);

        store.sync(REGION, WINDOW);
        assertEquals(1, slots(recent), "changed within the window: its slot at once");
        assertEquals(0, slots(old), "changed an hour ago: not read by the windowed sync");

        store.sync(REGION, null);
        assertEquals(1, slots(old), "the full pass adds it");

        // an edit that takes the region away drops the slot at the next windowed sync
        Sql.update(dataSource, "update monitor set regions = '[\"elsewhere\"]', updated_at = now() where id = ?", recent);
        Sql.update(dataSource, "update monitor set regions = '[\"elsewhere\"]' where id = ?", old);
        store.sync(REGION, WINDOW);
        assertEquals(0, slots(recent));
        assertEquals(1, slots(old), "its change is not in the window (updated_at kept)");
        store.sync(REGION, null);
        assertEquals(0, slots(old));
    }

    private long monitor(Owners.TestOwner owner, String name) {
        return ((Number) owner.api().body("{\"name\":\"Sync " + name + "\",\"url\":\"http://127.0.0.1:9/sync\",\"intervalSeconds\":3600}")
                .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
    }

    private long slots(long monitorId) {
        return Sql.number(dataSource, "select count(*) from check_schedule where monitor_id = ? and region = ?", monitorId, REGION);
    }
}
