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
                assertTrue(!next.isBefore(now.minusMillis(interval / 2)), "the next slot is at most half an interval gone: " + what);
                assertEquals(Slots.phaseMs(monitor, "eu", interval), Math.floorMod(next.toEpochMilli(), interval), what);
            }
        }
    }

    /**
     * A check that takes up to its whole timeout (as long as the interval) keeps the next slot, which then starts at once,
     * instead of losing it (checked every other interval); a slot missed by more than half an interval (a silence) is
     * skipped for the next one ahead.
     */
    @Test
    void aLongCheckKeepsItsNextSlotAndASilenceSkipsMissedOnes() {
        record Row(int interval, long tookMs, long expectedAfterDueMs) {
        }
        Row[] rows = {new Row(10, 100, 10_000), new Row(10, 9_900, 10_000), new Row(10, 10_000, 10_000), new Row(10, 10_300, 10_000),
                new Row(10, 14_999, 10_000), new Row(10, 15_001, 20_000), new Row(10, 196_000, 200_000), new Row(30, 30_500, 30_000),
                new Row(30, 44_000, 30_000), new Row(30, 46_000, 60_000), new Row(60, 60_000, 60_000)};
        for (long monitor = 1; monitor <= 40; monitor++) {
            for (Row row : rows) {
                long interval = row.interval() * 1000L;
                Instant due = Instant.ofEpochMilli(1_764_000_000_000L / interval * interval + Slots.phaseMs(monitor, "eu", interval));
                Instant next = Slots.next(monitor, "eu", row.interval(), due, due.plusMillis(row.tookMs()));
                assertEquals(due.plusMillis(row.expectedAfterDueMs()), next, "monitor " + monitor + " " + row);
            }
        }
    }

    @Test
    void aCheckEndsASecondBeforeItsNextSlot() {
        int[][] rows = {{10_000, 10, 9_000}, {5_000, 10, 5_000}, {9_000, 10, 9_000}, {30_000, 30, 29_000}, {1_000, 1, 1_000},
                {2_000, 2, 1_800}, {5_000, 5, 4_500}, {60_000, 3600, 60_000}};
        for (int[] r : rows) {
            assertEquals(r[2], Slots.timeoutWithin(r[0], r[1]), java.util.Arrays.toString(r));
        }
    }
}
