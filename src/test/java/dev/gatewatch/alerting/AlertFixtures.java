package dev.gatewatch.alerting;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.api.Sql;
import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;

/** Channels, monitors and outbox rows for alerting tests, made as the API and the analyzer make them. */
@ApplicationScoped
public class AlertFixtures {

    private final AgroalDataSource dataSource;

    public AlertFixtures(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public long channel(TestOwner owner, String body) {
        return ((Number) owner.api().body(body).post("/api/v1/channels").then().statusCode(201).extract().path("id")).longValue();
    }

    public long monitor(TestOwner owner, String name, String url, long channel) {
        long id = ((Number) owner.api().body("{\"name\":\"" + name + "\",\"url\":\"" + url + "\",\"intervalSeconds\":30,"
                + "\"alertPolicy\":{\"confirmationWindowSeconds\":30,\"channels\":[" + (channel < 0 ? "" : channel) + "]}}")
                .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        Sql.update(dataSource, "insert into check_schedule (monitor_id, region, next_due_at) values (?, 'alerting-test', now() + interval '1 hour')", id);
        return id;
    }

    /** An incident event as the analyzer writes it; the outbox row appears in the same transaction. */
    public long event(long monitor, String type, String kind) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long n = insertEvent(c, monitor, type, kind);
            c.commit();
            return n;
        }
    }

    public long insertEvent(Connection c, long monitor, String type, String kind) throws Exception {
        String scope = "{\"extent\":\"WHOLE\",\"regions\":[\"eu\"],\"resolvers\":[\"system\"],\"addresses\":{},\"healthyAddresses\":[],"
                + "\"pops\":[],\"healthyPops\":[],\"failingStreams\":1,\"streams\":1,\"liveRegions\":[\"eu\"],\"quorum\":true}";
        String evidence = "{\"failures\":3,\"statuses\":[502],\"errorClasses\":[\"assertion_failed\"],\"layers\":{\"origin:nginx\":3},"
                + "\"blipKind\":true,\"first\":[],\"latest\":[],\"slowestMs\":0,\"lastPassAt\":null}";
        String explanation = "{\"summary\":\"Outage everywhere: HTTP 502 from nginx at the origin\",\"layer\":\"nginx at the origin answered 502.\","
                + "\"agreement\":\"All agree.\",\"cause\":\"The back end crashed or is restarting.\",\"firstStep\":\"Check the application.\"}";
        long incident;
        try (PreparedStatement ps = c.prepareStatement("""
                insert into incident (monitor_id, owner_id, track, kind, status, started_at, confirmed_at, extent, summary, scope, evidence, explanation)
                select id, owner_id, 'availability', ?, 'open', now() - interval '90 seconds', now(), 'whole', 'Outage', ?::jsonb, ?::jsonb, ?::jsonb
                from monitor where id = ? returning id
                """)) {
            ps.setString(1, kind);
            ps.setString(2, scope);
            ps.setString(3, evidence);
            ps.setString(4, explanation);
            ps.setLong(5, monitor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                incident = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into incident_event (incident_id, type, kind, at, summary) values (?, ?, ?, now(), 'Outage') returning id")) {
            ps.setLong(1, incident);
            ps.setString(2, type);
            ps.setString(3, kind);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long event = rs.getLong(1);
                try (PreparedStatement n = c.prepareStatement("select id from notification where event_id = ?")) {
                    n.setLong(1, event);
                    try (ResultSet r = n.executeQuery()) {
                        assertTrue(r.next(), "the outbox row is written with the event");
                        return r.getLong(1);
                    }
                }
            }
        }
    }

    public String status(long notification) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select status from notification where id = ?")) {
            ps.setLong(1, notification);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String lastError(long notification) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select status || ' after ' || attempts || ': ' || coalesce(last_error, '') from notification where id = ?")) {
            ps.setLong(1, notification);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String sql, long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void waitFor(BooleanSupplier condition) throws InterruptedException {
        waitFor(condition, () -> "");
    }

    public static void waitFor(BooleanSupplier condition, Supplier<String> detail) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(end), () -> "not within 20 s " + detail.get());
            Thread.sleep(100);
        }
    }
}
