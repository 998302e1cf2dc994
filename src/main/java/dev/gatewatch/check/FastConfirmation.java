package dev.gatewatch.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The one door the analyzer has into the check schedule: it asks for faster checks of a monitor and calls them off,
 * inside its own transaction, so the stored analysis state and the schedule never disagree. The analyzer depends on
 * check (as it does on its results); check never calls the analyzer, it reads these columns when it stores a result.
 */
public final class FastConfirmation {

    private FastConfirmation() {
    }

    /**
     * Checks of this monitor from every region come every {@code every} until {@code until} (kept
     * short and renewed, so a stopped analyzer cannot leave a monitor on the fast interval). A slot not in flight is
     * pulled forward to now when fast mode begins, and to {@code every} from now when it shortens.
     */
    public static void hurry(Connection c, long monitorId, Duration every, Duration until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update check_schedule set fast_every_ms = ?, fast_until = now() + ? * interval '1 millisecond',
                    next_due_at = case when fast_until is null or fast_until < now() then least(next_due_at, now())
                                       when fast_every_ms > ? then least(next_due_at, now() + ? * interval '1 millisecond')
                                       else next_due_at end
                where monitor_id = ?
                """)) {
            ps.setLong(1, every.toMillis());
            ps.setLong(2, until.toMillis());
            ps.setLong(3, every.toMillis());
            ps.setLong(4, every.toMillis());
            ps.setLong(5, monitorId);
            ps.executeUpdate();
        }
    }

    /** Back to the monitor's own interval from its next slot. */
    public static void relax(Connection c, long monitorId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update check_schedule set fast_until = null, fast_every_ms = null where monitor_id = ? and fast_until is not null")) {
            ps.setLong(1, monitorId);
            ps.executeUpdate();
        }
    }
}
