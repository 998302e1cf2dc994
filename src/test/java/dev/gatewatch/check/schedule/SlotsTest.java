package dev.gatewatch.check.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Which slot a late check stands for, around the one-interval threshold, for several phases. */
class SlotsTest {

    @Test
    void aSlotOverAnIntervalGoneStandsForTheLatestSlotInstead() {
        record Row(int interval, long lateMs, boolean redated) {
        }
        Row[] rows = {new Row(10, 0, false), new Row(10, 9_999, false), new Row(10, 10_000, false), new Row(10, 10_001, true),
                new Row(10, 65_000, true), new Row(60, 59_000, false), new Row(60, 61_000, true), new Row(86_400, 3_600_000, false),
                new Row(86_400, 90_000_000, true)};
        for (long monitor = 1; monitor <= 40; monitor++) {
            for (Row row : rows) {
                long interval = row.interval() * 1000L;
                Instant due = Instant.ofEpochMilli(1_764_000_000_000L / interval * interval + Slots.phaseMs(monitor, "eu", interval));
                Instant now = due.plusMillis(row.lateMs());
                Instant slot = Slots.standsFor(monitor, "eu", row.interval(), due, now);
                String what = "monitor " + monitor + " " + row;
                if (!row.redated()) {
                    assertEquals(due, slot, what);
                } else {
                    assertTrue(!slot.isAfter(now) && slot.isAfter(now.minusMillis(interval)), what + " → " + slot);
                    assertEquals(Slots.phaseMs(monitor, "eu", interval), Math.floorMod(slot.toEpochMilli(), interval), "on its phase: " + what);
                }
                Instant next = Slots.next(monitor, "eu", row.interval(), slot, now);
                assertTrue(!next.isBefore(now), "the next slot is not in the past: " + what);
                assertEquals(Slots.phaseMs(monitor, "eu", interval), Math.floorMod(next.toEpochMilli(), interval), what);
            }
        }
    }
}
