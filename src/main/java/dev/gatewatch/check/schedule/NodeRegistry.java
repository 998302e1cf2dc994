package dev.gatewatch.check.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/** This checker's row in {@code checker_node}: registered at start, refreshed by heartbeats, marked stopped at a clean stop. */
public final class NodeRegistry {

    /** What a heartbeat reports. */
    public record Load(int inFlight, int checksPerMinute, int buffered, long dropped) {
    }

    private final DataSource dataSource;

    public NodeRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void register(String nodeId, String region, String host, String version) throws SQLException {
        update("""
                insert into checker_node (id, region, host, version, started_at, last_seen_at)
                values (?, ?, ?, ?, now(), now())
                on conflict (id) do update set last_seen_at = now(), stopped_at = null
                """, nodeId, region, host, version);
    }

    /** @return whether the node's row was there (a node that could not register at start registers later) */
    public boolean heartbeat(String nodeId, Load load) throws SQLException {
        return 1 == update("""
                update checker_node set last_seen_at = now(), stopped_at = null, in_flight = ?, checks_per_minute = ?,
                       buffered = ?, dropped = ?
                where id = ?
                """, load.inFlight(), load.checksPerMinute(), load.buffered(), load.dropped(), nodeId);
    }

    public void stopped(String nodeId) throws SQLException {
        update("update checker_node set stopped_at = now(), last_seen_at = now(), in_flight = 0 where id = ?", nodeId);
    }

    private int update(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            return dev.gatewatch.api.Sql.bind(ps, params).executeUpdate();
        }
    }
}
