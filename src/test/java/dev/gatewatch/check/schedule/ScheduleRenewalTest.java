package dev.gatewatch.check.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Renewal finds the held slots through the due index: a slot claimed early (within the lookahead) and one whose check
 * has run long past its due time both keep their lease, and another node's slots are left alone.
 */
@QuarkusTest
class ScheduleRenewalTest {

    private static final String REGION = "renewal-test"; // no checker of the test app claims here

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyHeldSlotIsRenewedWhateverItsDueTimeAndOnlyThisNodes() throws Exception {
        var owner = Owners.create();
        long[] ids = new long[3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((Number) owner.api().body("{\"name\":\"Renewal " + i + "\",\"url\":\"http://127.0.0.1:9/renew\",\"intervalSeconds\":3600}")
                    .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
            Sql.update(dataSource, "insert into check_schedule (monitor_id, region, next_due_at) values (?, ?, now() + interval '800 milliseconds')",
                    ids[i], REGION);
        }
        ScheduleStore store = new ScheduleStore(dataSource);
        Duration lookahead = Duration.ofSeconds(1);
        List<Claim> a = store.claim(REGION, "node-a", lookahead, Duration.ofSeconds(2), 2, List.of());
        assertEquals(2, a.size(), "claimed within the lookahead");
        List<Claim> b = store.claim(REGION, "node-b", lookahead, Duration.ofSeconds(2), 10, List.of());
        assertEquals(1, b.size());
        // one of node a's checks has run for an hour past its due time
        Sql.update(dataSource, "update check_schedule set next_due_at = now() - interval '1 hour' where monitor_id = ? and region = ?",
                a.get(0).task().monitorId(), REGION);

        assertEquals(2, store.renew("node-a", REGION, Duration.ofMinutes(10), lookahead));
        for (Claim c : a) {
            assertTrue(Sql.number(dataSource, "select count(*) from check_schedule where monitor_id = ? and region = ?"
                    + " and leased_by = 'node-a' and leased_until > now() + interval '9 minutes'", c.task().monitorId(), REGION) == 1,
                    "node a's slot of monitor " + c.task().monitorId() + " renewed");
        }
        assertEquals(1, Sql.number(dataSource, "select count(*) from check_schedule where monitor_id = ? and region = ?"
                + " and leased_by = 'node-b' and leased_until < now() + interval '1 minute'", b.get(0).task().monitorId(), REGION),
                "node b's slot untouched");
        Sql.update(dataSource, "delete from check_schedule where region = ?", REGION);
    }
}
