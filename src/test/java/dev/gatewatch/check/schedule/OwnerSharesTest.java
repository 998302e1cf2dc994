package dev.gatewatch.check.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** Each owner's share of a checker's slots: what one owner may take alone, and what stays for the others. */
class OwnerSharesTest {

    record Row(int capacity, double share, int aloneGets, int othersGet) {
    }

    @Test
    void oneOwnerLeavesAShareForTheOthers() {
        Row[] rows = {new Row(3, 0.25, 2, 1), new Row(4, 0.25, 3, 1), new Row(8, 0.25, 6, 2), new Row(2000, 0.25, 1500, 500),
                new Row(10, 0.5, 5, 5), new Row(1, 0.25, 1, 0), new Row(10, 1.0, 10, 0)};
        for (Row row : rows) {
            OwnerShares shares = new OwnerShares(row.capacity(), row.share());
            int a = 0;
            while (shares.admit(1)) {
                a++;
            }
            assertEquals(row.aloneGets(), a, "owner 1 alone: " + row);
            assertEquals(Set.of(1L), shares.saturated(), "claims skip owner 1: " + row);
            int b = 0;
            while (shares.admit(2)) {
                b++;
            }
            assertEquals(row.othersGet(), b, "owner 2 next to it: " + row);
            assertEquals(row.capacity() - a - b, shares.room(), row.toString());
        }
    }

    @Test
    void aSlotHeldThroughAnOutageCountsButIsNotRefused() {
        OwnerShares shares = new OwnerShares(4, 0.25);
        for (int i = 0; i < 6; i++) {
            shares.force(7);
        }
        assertEquals(6, shares.total());
        assertEquals(0, shares.room());
        assertEquals(false, shares.admit(8));
        for (int i = 0; i < 6; i++) {
            shares.release(7);
        }
        assertEquals(true, shares.admit(8));
    }
}
