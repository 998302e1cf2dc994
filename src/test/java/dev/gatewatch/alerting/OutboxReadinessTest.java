package dev.gatewatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gatewatch.alerting.outbox.OutboxReadiness;
import dev.gatewatch.alerting.outbox.OutboxStore;
import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Receiver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The outbox's readiness: the query finds the alert that has waited longest among those due on the real database, and
 * the rule calls it stuck from the stall on. No notifier runs in this profile,
 * so rows stay where the test puts them.
 */
@QuarkusTest
class OutboxReadinessTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theOldestDueAlertIsFoundAndStuckFromTheStallOn() throws Exception {
        var owner = Owners.create();
        var fixtures = new AlertFixtures(dataSource);
        try (Receiver receiver = new Receiver()) {
            long channel = fixtures.channel(owner, "{\"type\":\"webhook\",\"name\":\"hook\",\"settings\":{\"url\":\"" + receiver.url("/hook")
                    + "\"},\"secrets\":{\"secret\":\"whsec_" + "a".repeat(32) + "\"}}");
            long monitor = fixtures.monitor(owner, "outbox-readiness", "https://api.example.com/", channel);
            fixtures.event(monitor, "opened", "outage");
            Sql.update(dataSource, "update notification set next_attempt_at = now() + interval '1 hour' where channel_id = ?", channel);
            OutboxStore store = new OutboxStore(dataSource);

            Sql.update(dataSource, """
                    update notification set next_attempt_at = now() - interval '7 minutes'
                    where channel_id = ? and status = 'pending'
                    """, channel);
            Optional<Instant> oldest = store.oldestDue();
            assertTrue(oldest.isPresent());
            long ago = Duration.between(oldest.get(), Instant.now()).toSeconds();
            assertTrue(ago >= 419, "due at least 7 minutes ago: " + ago);
            Sql.update(dataSource, "update notification set status = 'failed' where channel_id = ?", channel);
        }
    }

    @Test
    void stuckFromTheStallOn() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        Duration stall = Duration.ofMinutes(5);
        record Row(Optional<Instant> oldestDue, boolean stuck) {
        }
        for (Row row : new Row[] {
                new Row(Optional.empty(), false),
                new Row(Optional.of(now), false),
                new Row(Optional.of(now.minus(stall).plusMillis(1)), false),
                new Row(Optional.of(now.minus(stall)), true),
                new Row(Optional.of(now.minus(Duration.ofHours(3))), true)}) {
            assertEquals(row.stuck(), OutboxReadiness.stuck(row.oldestDue(), now, stall), row.toString());
        }
    }
}
