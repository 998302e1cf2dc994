package dev.gatewatch.check.store;

import java.sql.SQLException;
import java.util.Deque;
import java.util.List;

import dev.gatewatch.api.Sql;

/**
 * Writes a list of items in one transaction or, when PostgreSQL refuses it for its data (SQLSTATE class 22 or 23),
 * in halves, each on its own, down to the one item at fault, which is handed to {@code refused}; the rest never waits
 * for it. Any other error is thrown with {@code work} still holding what is not written, in order, for the caller to
 * keep.
 */
final class Isolating {

    interface Commit<T> {
        /** Writes and commits the part, or rolls back and throws. */
        void commit(List<T> part) throws SQLException;
    }

    interface Refused<T> {
        /** The one item PostgreSQL refuses; throws only errors that are not about this data. */
        void refused(T item, SQLException cause) throws SQLException;
    }

    interface Done<T> {
        void done(List<T> part);
    }

    private Isolating() {
    }

    /** @param makePartitions run once when a row has no partition to go to (a clock far ahead, or maintenance late) */
    static <T> void write(Deque<List<T>> work, Commit<T> commit, Refused<T> refused, Runnable makePartitions, Done<T> done)
            throws SQLException {
        boolean partitionsMade = false;
        while (!work.isEmpty()) {
            List<T> part = work.peek();
            SQLException refusal;
            try {
                commit.commit(part);
                work.pop();
                done.done(part);
                continue;
            } catch (SQLException e) {
                if (!Sql.dataError(e)) {
                    throw e;
                }
                if (!partitionsMade && noPartition(e)) {
                    partitionsMade = true;
                    makePartitions.run();
                    continue;
                }
                refusal = e;
            } catch (RuntimeException e) {
                // not the database's doing, but just as much this data's: isolate it the same way
                refusal = new SQLException(String.valueOf(e), "XX000", e);
            }
            if (part.size() > 1) {
                work.pop();
                int half = part.size() / 2;
                work.push(part.subList(half, part.size()));
                work.push(part.subList(0, half));
            } else {
                refused.refused(part.get(0), refusal);
                work.pop();
                done.done(part);
            }
        }
    }

    private static boolean noPartition(SQLException e) {
        return "23514".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("no partition");
    }
}
