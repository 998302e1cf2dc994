package dev.gatewatch.analysis.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gatewatch.check.ResultNotices;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** The analyzer hears of new results through PostgreSQL notifications, and scans everything when it may have missed some. */
@QuarkusTest
class ResultListenerTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aPassLooksAtTheMonitorsHeardOfAndScansEverythingNowAndThen() throws Exception {
        try (ResultListener listener = new ResultListener(dataSource, Duration.ofMinutes(10))) {
            Instant t = Instant.now();
            assertTrue(listener.next(t).everything(), "not listening yet, or just started: scan");
            awaitListening(listener, t);
            notice("11,12");
            notice("12,13");
            notice("not-a-number");
            Set<Long> heard = new HashSet<>();
            for (long deadline = System.nanoTime() + 10_000_000_000L; heard.size() < 3 && System.nanoTime() < deadline; ) {
                ResultListener.Work w = listener.next(t.plusSeconds(1));
                assertFalse(w.everything());
                heard.addAll(w.monitors());
                Thread.sleep(50);
            }
            assertEquals(Set.of(11L, 12L, 13L), heard);
            assertEquals(Set.of(), listener.next(t.plusSeconds(2)).monitors(), "each notice handed over once");
            assertTrue(listener.next(t.plus(Duration.ofMinutes(11))).everything(), "a full scan every interval");
        }
    }

    @Test
    void aNoticeInARolledBackTransactionIsNeverHeard() throws Exception {
        try (ResultListener listener = new ResultListener(dataSource, Duration.ofMinutes(10))) {
            Instant t = Instant.now();
            listener.next(t);
            awaitListening(listener, t);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, '21')")) {
                    ps.setString(1, ResultNotices.CHANNEL);
                    ps.executeQuery().close();
                }
                c.rollback();
            }
            notice("22");
            Set<Long> heard = new HashSet<>();
            for (long deadline = System.nanoTime() + 10_000_000_000L; !heard.contains(22L) && System.nanoTime() < deadline; ) {
                heard.addAll(listener.next(t.plusSeconds(1)).monitors());
                Thread.sleep(50);
            }
            assertEquals(Set.of(22L), heard);
        }
    }

    /** Waits until a pass no longer needs a full scan: the listener is connected and the scan noted that. */
    private static void awaitListening(ResultListener listener, Instant t) throws InterruptedException {
        for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            if (!listener.next(t).everything()) {
                return;
            }
        }
        throw new AssertionError("the listener did not connect within 10 s");
    }

    private void notice(String payload) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
            ps.setString(1, ResultNotices.CHANNEL);
            ps.setString(2, payload);
            ps.executeQuery().close();
        }
    }
}
