package dev.gatewatch.check.schedule;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.check.CheckTask;
import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.JsonAssertion;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.monitor.validation.StatusCodes;

/** The (monitor, region) schedule in PostgreSQL: rows for this region, claims with SKIP LOCKED, lease release. */
public final class ScheduleStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Monitors that should be checked from a region: no region list means every region. */
    private static final String ELIGIBLE = "(jsonb_array_length(m.regions) = 0 or m.regions @> jsonb_build_array(?::text))";

    /** What a full sync looks at: every monitor (a windowed one reads those changed lately, by the updated_at index). */
    private static final String EVERY = "true";

    private static final String SYNC_INSERT = """
            insert into check_schedule (monitor_id, region, next_due_at)
            select m.id, ?, now() + random() * least(m.interval_seconds, 2) * interval '1 second'
            from monitor m
            where %s and %s and not exists (select 1 from check_schedule s where s.monitor_id = m.id and s.region = ?)
            on conflict do nothing
            """;

    private static final String SYNC_DELETE = """
            delete from check_schedule s using monitor m
            where s.monitor_id = m.id and s.region = ? and %s and not %s
            """;

    /**
     * The monitor is looked up per due row (a subquery, not a join) and the claimed rows are updated by key, so both
     * steps walk indexes and stop at the limit: as a join, the planner misjudged the eligibility test and read every
     * monitor, and hashed the whole schedule, on every claim (21 ms against 4 ms at 10,000 monitors).
     */
    private static final String CLAIM = """
            with due as (
                select s.monitor_id from check_schedule s
                where s.region = ? and s.next_due_at <= now() + ? * interval '1 millisecond'
                  and (s.leased_until is null or s.leased_until < now())
                  and (select not m.paused and %s and m.owner_id <> all(?::bigint[]) from monitor m where m.id = s.monitor_id)
                order by s.next_due_at
                limit ?
                for update of s skip locked)
            update check_schedule s set leased_until = now() + ? * interval '1 millisecond', leased_by = ?,
                lease_epoch = s.lease_epoch + 1
            from monitor m
            where s.monitor_id = any(array(select monitor_id from due)) and s.region = ? and m.id = s.monitor_id
            returning s.next_due_at, now() as db_now, s.lease_epoch, m.owner_id, m.id, m.interval_seconds, m.url, m.method, m.request_headers::text,
                      m.request_body, m.expected_status, m.body_assertions::text, m.json_assertions::text, m.timeout_ms,
                      m.follow_redirects, m.max_redirects, m.resolvers::text
            """.formatted(ELIGIBLE);

    /**
     * An update of the schedule rows {@code %s} selects (alias {@code s}), setting {@code %s}. The rows are locked in key
     * order first, as the result writer and the analyzer lock them, so that none of them deadlocks with another.
     */
    private static final String HELD = """
            with held as materialized (
                select s.monitor_id, s.region from check_schedule s where %s order by s.monitor_id, s.region for update)
            update check_schedule s set %s from held h where s.monitor_id = h.monitor_id and s.region = h.region
            """;

    private final DataSource dataSource;

    public ScheduleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Adds rows for monitors newly eligible in this region and drops stale ones: of every monitor when {@code
     * changedWithin} is null, else of those whose {@code updated_at} is within it of the database's clock (the caller
     * runs a full pass now and then for what a window misses: an app clock far off, a transaction that committed late).
     */
    public void sync(String region, Duration changedWithin) throws SQLException {
        // the window is the caller's constant, written into the statement, so both variants bind the same parameters
        String which = changedWithin == null ? EVERY
                : "m.updated_at >= now() - interval '" + changedWithin.toMillis() + " milliseconds'";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement insert = c.prepareStatement(SYNC_INSERT.formatted(ELIGIBLE, which));
                 PreparedStatement delete = c.prepareStatement(SYNC_DELETE.formatted(which, ELIGIBLE))) {
                insert.setString(1, region);
                insert.setString(2, region);
                insert.setString(3, region);
                insert.executeUpdate();
                delete.setString(1, region);
                delete.setString(2, region);
                delete.executeUpdate();
            }
        }
    }

    /**
     * Claims up to {@code limit} slots of this region due within {@code lookahead}, for {@code lease}, skipping the
     * monitors of {@code excludedOwners}. Each claim takes the row's next lease epoch.
     */
    public List<Claim> claim(String region, String nodeId, Duration lookahead, Duration lease, int limit,
            Collection<Long> excludedOwners) throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setString(1, region);
                ps.setLong(2, lookahead.toMillis());
                ps.setString(3, region);
                ps.setArray(4, c.createArrayOf("bigint", excludedOwners.toArray(Long[]::new)));
                ps.setInt(5, limit);
                ps.setLong(6, lease.toMillis());
                ps.setString(7, nodeId);
                ps.setString(8, region);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claims.add(new Claim(task(rs, region), rs.getObject("db_now", OffsetDateTime.class).toInstant(),
                                rs.getLong("owner_id"), rs.getLong("lease_epoch")));
                    }
                }
            }
        }
        return claims;
    }

    /**
     * Extends the lease of every slot this node holds; a live checker keeps its slots however long a check takes. A held
     * slot was due within {@code lookahead} when it was claimed and only its completion moves it later, so the rows are
     * found through the due index rather than by reading the whole schedule (270 ms a call at 100,000 monitors).
     */
    public int renew(String nodeId, String region, Duration lease, Duration lookahead) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(HELD.formatted(
                "s.region = ? and s.next_due_at <= now() + ? * interval '1 millisecond' and s.leased_by = ?",
                "leased_until = now() + ? * interval '1 millisecond'"))) {
            c.setAutoCommit(true);
            ps.setString(1, region);
            ps.setLong(2, lookahead.toMillis());
            ps.setString(3, nodeId);
            ps.setLong(4, lease.toMillis());
            return ps.executeUpdate();
        }
    }

    /** Gives back slots claimed but not going to be checked here (an owner over its share), if still held by this claim. */
    public void giveBack(List<Claim> claims, String nodeId) throws SQLException {
        if (claims.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(HELD.formatted("""
                (s.monitor_id, s.region, s.lease_epoch) in (select * from unnest(?::bigint[], ?::text[], ?::bigint[]))
                    and s.leased_by = ?""", "leased_until = null, leased_by = null"))) {
            c.setAutoCommit(true);
            ps.setArray(1, c.createArrayOf("bigint", claims.stream().map(k -> k.task().monitorId()).toArray(Long[]::new)));
            ps.setArray(2, c.createArrayOf("text", claims.stream().map(k -> k.task().region()).toArray(String[]::new)));
            ps.setArray(3, c.createArrayOf("bigint", claims.stream().map(Claim::epoch).toArray(Long[]::new)));
            ps.setString(4, nodeId);
            ps.executeUpdate();
        }
    }

    /** Gives back every slot this node still holds (on a clean stop), so the region's other checkers take them at once. */
    public void release(String nodeId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                HELD.formatted("leased_by = ?", "leased_until = null, leased_by = null"))) {
            c.setAutoCommit(true);
            ps.setString(1, nodeId);
            ps.executeUpdate();
        }
    }

    private static CheckTask task(ResultSet rs, String region) throws SQLException {
        try {
            Map<String, String> headers = JSON.readValue(rs.getString("request_headers"), new TypeReference<Map<String, String>>() { });
            List<BodyAssertion> body = JSON.readValue(rs.getString("body_assertions"), new TypeReference<List<BodyAssertion>>() { });
            List<JsonAssertion> json = JSON.readValue(rs.getString("json_assertions"), new TypeReference<List<JsonAssertion>>() { });
            List<String> resolvers = JSON.readValue(rs.getString("resolvers"), new TypeReference<List<String>>() { });
            return new CheckTask(rs.getLong("id"), region, rs.getObject("next_due_at", OffsetDateTime.class).toInstant(),
                    rs.getInt("interval_seconds"), URI.create(rs.getString("url")), rs.getString("method"), headers,
                    rs.getString("request_body"), StatusCodes.parse(rs.getString("expected_status")), body, json,
                    Slots.timeoutWithin(rs.getInt("timeout_ms"), rs.getInt("interval_seconds")), rs.getBoolean("follow_redirects"),
                    rs.getInt("max_redirects"),
                    resolvers.stream().map(ResolverSpec::parse).toList());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("monitor " + rs.getLong("id") + " has unreadable JSON columns", e);
        }
    }
}
