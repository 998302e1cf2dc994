package dev.gatewatch.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatewatch.support.DnsResponder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;

/**
 * What the checker checks: trivial HTTP targets on 127.0.0.1-3 (one port), a loopback DNS responder per resolver sending
 * the monitors' name to its own 127.0.0.x, and the monitors themselves, inserted as rows (the checker gives each new
 * monitor its check_schedule rows when it next syncs, within two seconds, first check within two more).
 */
final class Workload implements AutoCloseable {

    static final String NAME = "bench.gatewatch.test";

    private final Vertx vertx = Vertx.vertx();
    private final List<DnsResponder> responders = new ArrayList<>();
    private final List<AtomicLong> served = new ArrayList<>();
    private final int interval;
    private int port;
    private int monitors;

    Workload(int interval) {
        this.interval = interval;
    }

    /** Starts the targets and {@code resolvers} DNS responders, each answering with {@code dnsThreads} threads. */
    Workload start(int resolvers, int dnsThreads) throws Exception {
        for (int i = 1; i <= 3; i++) {
            AtomicLong count = new AtomicLong();
            served.add(count);
            port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0." + i).setPort(port))
                    .requestHandler(req -> {
                        count.incrementAndGet();
                        req.response().putHeader("content-type", "text/plain").end("ok");
                    })
                    .listen().toCompletionStage().toCompletableFuture().get().actualPort();
        }
        for (int i = 1; i <= resolvers; i++) {
            responders.add(DnsResponder.start("127.0.0." + i, dnsThreads).answer(NAME, "127.0.0." + i));
        }
        return this;
    }

    List<DnsResponder> responders() {
        return responders;
    }

    /** Requests served by the target on 127.0.0.1, .2, .3. */
    List<Long> served() {
        return served.stream().map(AtomicLong::get).toList();
    }

    int monitors() {
        return monitors;
    }

    int resolvers() {
        return responders.size();
    }

    int interval() {
        return interval;
    }

    /** Checks a second the monitors ask for: monitors × resolvers / interval. */
    double offered() {
        return (double) monitors * responders.size() / interval;
    }

    static void createOwner(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("insert into owner (email, password_hash) values ('bench@gatewatch.test', 'not-a-login')");
        }
    }

    /** Inserts {@code count} more monitors, each checked through every responder. */
    void addMonitors(Connection c, int count) throws SQLException {
        if (count <= 0) {
            return;
        }
        StringBuilder json = new StringBuilder("[");
        for (DnsResponder r : responders) {
            json.append(json.length() > 1 ? "," : "").append('"').append(r.spec()).append('"');
        }
        json.append(']');
        try (PreparedStatement ps = c.prepareStatement("""
                insert into monitor (owner_id, name, url, method, expected_status, interval_seconds, timeout_ms,
                    follow_redirects, max_redirects, resolvers, confirmation_window_seconds, success_threshold)
                select (select id from owner where email = 'bench@gatewatch.test'), 'bench-' || g,
                    'http://%s:' || ? || '/ok?m=' || g, 'GET', '200-399', ?, 10000, true, 5, ?::jsonb, 60, 2
                from generate_series(?, ?) g
                """.formatted(NAME))) {
            ps.setInt(1, port);
            ps.setInt(2, interval);
            ps.setString(3, json.toString());
            ps.setInt(4, monitors + 1);
            ps.setInt(5, monitors + count);
            ps.executeUpdate();
        }
        monitors += count;
    }

    @Override
    public void close() {
        responders.forEach(DnsResponder::close);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
