package dev.gatewatch.check.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;

/** Column arrays for {@code unnest(?::type[], ...)} statements: one parameter per column, one round trip per batch. */
final class PgArrays {

    private PgArrays() {
    }

    static Array of(Connection c, String type, Object[] values) throws SQLException {
        Object[] typed = switch (type) {
            case "bigint" -> new Long[values.length];
            case "integer" -> new Integer[values.length];
            case "smallint" -> new Short[values.length];
            case "boolean" -> new Boolean[values.length];
            default -> new String[values.length];
        };
        System.arraycopy(values, 0, typed, 0, values.length);
        return c.createArrayOf(type, typed);
    }
}
