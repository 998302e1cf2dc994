package dev.gatewatch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** The payload of result notices: every monitor named once, each payload under PostgreSQL's cap, junk ignored. */
class ResultNoticesTest {

    @Test
    void namesEachMonitorOnce() {
        List<String> payloads = ResultNotices.payloads(List.of(3L, 1L, 3L, 2L));
        assertEquals(1, payloads.size());
        assertEquals(Set.of(1L, 2L, 3L), ResultNotices.monitors(payloads.get(0)));
    }

    @Test
    void manyMonitorsAreSplitUnderTheCap() {
        List<Long> ids = LongStream.rangeClosed(1_000_000_000L, 1_000_005_000L).boxed().toList();
        List<String> payloads = ResultNotices.payloads(ids);
        assertTrue(payloads.size() > 1);
        Set<Long> back = new HashSet<>();
        for (String p : payloads) {
            assertTrue(p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 8000, "under PostgreSQL's 8000-byte cap");
            back.addAll(ResultNotices.monitors(p));
        }
        assertEquals(new HashSet<>(ids), back);
    }

    @Test
    void nothingToSayIsNoPayload() {
        assertEquals(List.of(), ResultNotices.payloads(List.of()));
    }

    @Test
    void junkIsIgnored() {
        assertEquals(Set.of(5L, 7L), ResultNotices.monitors("5,x, 7,,9999999999999999999999"));
        assertEquals(Set.of(), ResultNotices.monitors(null));
    }
}
