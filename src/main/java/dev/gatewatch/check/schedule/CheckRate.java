package dev.gatewatch.check.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks per minute over a sliding window, for the regions API: counted between heartbeats alone, a steady 12 a minute
 * reads 0, 24, 0, 24 as the checks fall on either side of each 5 s heartbeat.
 */
final class CheckRate {

    private record Mark(Instant at, long count) {
    }

    private final Duration window;
    private final Deque<Mark> marks = new ArrayDeque<>();

    CheckRate(Duration window, Instant start) {
        this.window = window;
        marks.add(new Mark(start, 0));
    }

    /** The rate up to {@code now}, given the total of checks done so far. */
    synchronized int perMinute(long total, Instant now) {
        marks.add(new Mark(now, total));
        // Keep the newest mark at least a window old, so the rate always spans a whole window once there is one.
        while (marks.size() > 2 && !marks.stream().skip(1).findFirst().orElseThrow().at().isAfter(now.minus(window))) {
            marks.removeFirst();
        }
        Mark oldest = marks.getFirst();
        long ms = Math.max(1000, Duration.between(oldest.at(), now).toMillis());
        return (int) Math.round((total - oldest.count()) * 60_000.0 / ms);
    }
}
