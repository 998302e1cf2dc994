package dev.gatewatch.alerting;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import dev.gatewatch.api.FieldError;

/** Monitor ids named in alerting input (maintenance windows, silences, channel attachments), checked against the owner. */
public final class OwnedMonitors {

    public static final int MAX_MONITORS = 500;

    private OwnedMonitors() {
    }

    /** The given monitor ids, de-duplicated, each checked to be the owner's; errors name {@code field[i]}. */
    public static List<Long> check(DataSource dataSource, long ownerId, String field, List<Long> ids, List<FieldError> errors) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        if (ids.size() > MAX_MONITORS) {
            errors.add(new FieldError(field, "may list at most " + MAX_MONITORS + " monitors"));
            return List.of();
        }
        Set<Long> owned = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id from monitor where owner_id = ? and id = any(?)")) {
            ps.setLong(1, ownerId);
            ps.setArray(2, c.createArrayOf("bigint", ids.stream().filter(java.util.Objects::nonNull).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owned.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Set<Long> out = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null || !owned.contains(ids.get(i))) {
                errors.add(new FieldError(field + "[" + i + "]", "is not one of your monitors"));
            } else {
                out.add(ids.get(i));
            }
        }
        return new ArrayList<>(out);
    }
}
