package dev.gatewatch.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The regions with a checker that has reported within the node timeout and not said it stopped: the analyzer counts
 * only their checks as missing, and a diagnosis asks exactly them.
 */
public final class LiveRegions {

    private LiveRegions() {
    }

    /** The live regions, sorted by name. */
    public static List<String> of(Connection c, Duration nodeTimeout) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct region from checker_node where stopped_at is null and last_seen_at > now() - ? * interval '1 millisecond'
                order by region
                """)) {
            ps.setLong(1, nodeTimeout.toMillis());
            List<String> regions = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    regions.add(rs.getString(1));
                }
            }
            return regions;
        }
    }
}
