package dev.gatewatch.support;

import java.sql.SQLException;
import java.util.Map;

import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;

/** One resource of each kind for an owner, keyed by the names of the OpenAPI document's path parameters. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Map<String, Long> create(TestOwner owner, AgroalDataSource dataSource) {
        long monitor = id(owner, "/api/v1/monitors", "{\"name\":\"contract\",\"url\":\"http://127.0.0.1/contract\"}", "id");
        long token = id(owner, "/api/v1/tokens", "{\"name\":\"contract-ci\"}", "token.id");
        long deployment = id(owner, "/api/v1/monitors/" + monitor + "/deployments", "{\"version\":\"v1\"}", "id");
        long channel = id(owner, "/api/v1/channels", "{\"type\":\"slack\",\"name\":\"contract-ops\","
                + "\"secrets\":{\"webhookUrl\":\"http://127.0.0.1:9/hook\"}}", "id");
        long window = id(owner, "/api/v1/maintenance-windows", "{\"name\":\"contract-window\",\"recurrence\":{\"start\":\"02:00\","
                + "\"durationMinutes\":30}}", "id");
        long silence = id(owner, "/api/v1/silences", "{\"reason\":\"contract\",\"durationMinutes\":30}", "id");
        owner.api().body("{\"slug\":\"contract-" + monitor + "\",\"title\":\"Contract\",\"enabled\":true,\"groups\":[{\"name\":\"\","
                + "\"monitors\":[{\"monitorId\":" + monitor + "}]}]}").put("/api/v1/status-page").then().statusCode(200);
        diagnosis(dataSource, monitor);
        return Map.of("monitorId", monitor, "tokenId", token, "deploymentId", deployment, "incidentId", incident(dataSource, monitor),
                "channelId", channel, "windowId", window, "silenceId", silence);
    }

    /** The fixture diagnosis of the fixture monitor: its id is made from the monitor's. */
    public static String diagnosisId(Map<String, Long> ids) {
        return new java.util.UUID(0, ids.get("monitorId")).toString();
    }

    /** A diagnosis of the monitor, by its owner, with no checks yet; its id is {@link #diagnosisId}'s. */
    public static void diagnosis(AgroalDataSource dataSource, long monitor) {
        dev.gatewatch.api.Sql.update(dataSource, """
                insert into diagnosis (id, owner_id, monitor_id, url, url_key, probe, resolvers, regions, slow_ms, deadline_at, expires_at)
                select ?::uuid, owner_id, id, url, url, '{}', '{system}', '{}', 3000, now(), now() + interval '1 day' from monitor where id = ?
                """, new java.util.UUID(0, monitor).toString(), monitor);
    }

    public static String slug(Map<String, Long> ids) {
        return "contract-" + ids.get("monitorId");
    }

    private static long id(TestOwner owner, String path, String body, String idPath) {
        var created = owner.api().body(body).post(path);
        if (created.statusCode() != 201) {
            throw new AssertionError("POST " + path + " " + body + " answered " + created.statusCode() + " " + created.asString());
        }
        return ((Number) created.path(idPath)).longValue();
    }

    /** The analyzer is off in tests: an open outage of the monitor as the analyzer would store it. */
    public static long incident(AgroalDataSource dataSource, long monitor) {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement("""
                insert into incident (monitor_id, owner_id, track, kind, status, started_at, extent, summary, scope, evidence, explanation)
                select id, owner_id, 'availability', 'outage', 'open', now(), 'whole', 'Outage', '{}', '{}', '{}'
                from monitor where id = ? returning id
                """)) {
            ps.setLong(1, monitor);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
