package dev.gatewatch.check.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.Timings;
import dev.gatewatch.check.store.RollupBuffer.Row;
import dev.gatewatch.check.store.RollupBuffer.Table;

/** Rollups merged in memory: one row per stream and minute, and the hour, monitor and day rows they make. */
class RollupBufferTest {

    private static final Instant T = Instant.parse("2026-12-02T10:59:30Z");

    @Test
    void resultsOfOneStreamAndMinuteMergeIntoOneRow() {
        RollupBuffer b = new RollupBuffer();
        b.add(List.of(ok(1, "eu", "system", T, 10), ok(1, "eu", "system", T.plusSeconds(20), 30), failed(1, "eu", "system", T.plusSeconds(25))));
        assertEquals(1, b.size());
        assertEquals(3, b.results());
        List<Row> rows = b.drain(null);
        assertTrue(b.isEmpty());
        assertEquals(0, b.results());
        Row r = rows.get(0);
        assertEquals(Instant.parse("2026-12-02T10:59:00Z"), r.bucket());
        assertEquals(3, r.totals().checks);
        assertEquals(1, r.totals().failures);
        assertEquals(40, r.totals().okTotalMs);
        assertEquals(30, r.totals().maxMs);
        assertEquals(2, java.util.Arrays.stream(r.totals().histogram()).sum(), "latency of successful checks only");
    }

    @Test
    void streamsMinutesAndMonitorsAreKeptApart() {
        RollupBuffer b = new RollupBuffer();
        b.add(List.of(ok(2, "eu", "system", T, 10), ok(1, "eu", "system", T, 10), ok(1, "us", "system", T, 10),
                ok(1, "eu", "1.1.1.1", T, 10), ok(1, "eu", "system", T.plusSeconds(40), 10)));
        List<Row> rows = b.drain(null);
        assertEquals(5, rows.size());
        assertEquals(List.of(1L, 1L, 1L, 1L, 2L), rows.stream().map(Row::monitorId).toList(), "sorted by key");
        assertEquals("1.1.1.1", rows.get(0).resolver());
    }

    @Test
    void tablesMergeMinutesIntoHoursMonitorsAndDays() {
        // Two streams of monitor 1 over the end of an hour, one stream of monitor 2.
        RollupBuffer b = new RollupBuffer();
        b.add(List.of(ok(1, "eu", "system", T, 10), ok(1, "eu", "system", T.plusSeconds(40), 20),
                ok(1, "us", "system", T, 30), failed(1, "us", "system", T.plusSeconds(40)), ok(2, "eu", "system", T, 5)));
        Map<Table, List<Row>> t = RollupBuffer.tables(b.drain(null));
        assertEquals(5, t.get(Table.CHECK_MINUTE).size());
        assertEquals(5, t.get(Table.CHECK_HOUR).size(), "10:xx and 11:xx for both streams of 1, one for 2");
        List<Row> monitorHours = t.get(Table.MONITOR_HOUR);
        assertEquals(3, monitorHours.size());
        Row first = monitorHours.get(0);
        assertEquals(1, first.monitorId());
        assertEquals(Instant.parse("2026-12-02T10:00:00Z"), first.bucket());
        assertEquals("", first.region());
        assertEquals(2, first.totals().checks);
        assertEquals(30, first.totals().maxMs);
        Row second = monitorHours.get(1);
        assertEquals(Instant.parse("2026-12-02T11:00:00Z"), second.bucket());
        assertEquals(2, second.totals().checks);
        assertEquals(1, second.totals().failures);
        List<Row> days = t.get(Table.MONITOR_DAY);
        assertEquals(2, days.size());
        assertEquals(4, days.get(0).totals().checks);
        assertEquals(60, days.get(0).totals().okTotalMs);
        assertEquals(1, days.get(1).totals().checks);
    }

    @Test
    void aStreamWithOnlyFailuresHasNoLatency() {
        RollupBuffer b = new RollupBuffer();
        b.add(List.of(failed(1, "eu", "system", T), failed(1, "eu", "system", T.plusSeconds(10))));
        Row r = b.drain(null).get(0);
        assertNull(r.totals().maxMs);
        assertEquals(0, r.totals().okTotalMs);
        assertNull(LatencyHistogram.quantile(r.totals().histogram(), 0.5, r.totals().maxMs));
    }

    @Test
    void restoredRowsMergeWithWhatCameSince() {
        RollupBuffer b = new RollupBuffer();
        b.add(List.of(ok(1, "eu", "system", T, 10)));
        List<Row> drained = b.drain(null);
        b.add(List.of(ok(1, "eu", "system", T.plusSeconds(5), 50), ok(3, "eu", "system", T, 5)));
        b.restore(drained);
        assertEquals(3, b.results());
        List<Row> rows = b.drain(null);
        assertEquals(2, rows.size());
        assertEquals(2, rows.get(0).totals().checks);
        assertEquals(60, rows.get(0).totals().okTotalMs);
        assertEquals(50, rows.get(0).totals().maxMs);
    }

    static CheckResult ok(long monitor, String region, String resolver, Instant at, int ms) {
        return new CheckResult(monitor, region, resolver, "node", at, at, true, 200, null, null, new Timings(1, 1, null, 1, 0, ms),
                "127.0.0.1", 0, null, 2, null, null, null, List.of());
    }

    static CheckResult failed(long monitor, String region, String resolver, Instant at) {
        return new CheckResult(monitor, region, resolver, "node", at, at, false, null, ErrorClass.CONNECT_REFUSED, "refused",
                new Timings(1, null, null, null, null, 3), "127.0.0.1", 0, null, null, null, null, null, List.of());
    }

    @Test
    void onlyMinutesBeforeTheBoundaryAreDrained() {
        RollupBuffer b = new RollupBuffer();
        b.add(List.of(ok(1, "eu", "system", T, 10), ok(1, "eu", "system", T.plusSeconds(40), 10)));
        List<Row> ended = b.drain(Instant.parse("2026-12-02T11:00:00Z"));
        assertEquals(1, ended.size());
        assertEquals(Instant.parse("2026-12-02T10:59:00Z"), ended.get(0).bucket());
        assertEquals(1, b.results(), "the current minute stays");
        assertEquals(Instant.parse("2026-12-02T11:00:00Z"), b.drain(null).get(0).bucket());
    }

    @Test
    void theSparseHistogramCountsLikeTheDenseOne() {
        java.util.Random random = new java.util.Random(17);
        int[] dense = new int[LatencyHistogram.BUCKETS];
        RollupBuffer b = new RollupBuffer();
        RollupBuffer other = new RollupBuffer();
        for (int i = 0; i < 5000; i++) {
            int ms = (int) Math.min(600_000, Math.exp(random.nextDouble() * 13));
            dense[LatencyHistogram.bucket(ms)]++;
            (i % 3 == 0 ? other : b).add(List.of(ok(1, "eu", "system", T, ms)));
        }
        RollupBuffer.Totals merged = b.drain(null).get(0).totals();
        merged.add(other.drain(null).get(0).totals());
        assertEquals(java.util.Arrays.toString(dense), java.util.Arrays.toString(merged.histogram()));
        assertEquals(5000, merged.checks);
    }
}
