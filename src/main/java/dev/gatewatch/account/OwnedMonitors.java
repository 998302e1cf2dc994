package dev.gatewatch.account;

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
import dev.gatewatch.api.NotFoundProblem;

/**
 * Tenant scoping of monitors for the features that read them by id in plain SQL (checks, incidents, deployments,
 * alert settings): part of the shared kernel, so no feature asks the monitor feature's service.
 */
public final class OwnedMonitors {

    public static final int MAX_MONITORS = 500;

    private OwnedMonitors() {
    }

    /** 404 unless the monitor exists and is the owner's: another owner's monitor is "not found". */
    public static void requireOwned(Connection c, long ownerId, long monitorId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from monitor where id = ? and owner_id = ?")) {
            ps.setLong(1, monitorId);
            ps.setLong(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundProblem("monitor " + monitorId);
                }
            }
        }
    }

    /**
     * Monitor ids named in input (maintenance windows, silences, channel attachments), de-duplicated, each checked to
     * be the owner's; errors name {@code field[i]}.
     */
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
