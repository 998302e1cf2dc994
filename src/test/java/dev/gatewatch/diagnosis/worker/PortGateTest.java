package dev.gatewatch.diagnosis.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.probe.Probe;
import dev.gatewatch.diagnosis.ProbeSpec;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.target.AddressPolicy;
import dev.gatewatch.target.Cidr;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A diagnosis without an account reaches only the allowed ports, on its URL and on every redirect hop: a real probe
 * against loopback servers, one of which redirects to a port that is not allowed.
 */
class PortGateTest {

    static Vertx vertx;
    static HttpServer allowed;
    static HttpServer other;
    static final AtomicInteger otherHits = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        other = vertx.createHttpServer().requestHandler(r -> {
            otherHits.incrementAndGet();
            r.response().end("internal");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        allowed = vertx.createHttpServer().requestHandler(r -> {
            if (r.path().equals("/hop")) {
                r.response().setStatusCode(302).putHeader("Location", "http://127.0.0.1:" + other.actualPort() + "/").end();
            } else {
                r.response().end("ok");
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static CheckResult check(String path) throws Exception {
        AddressPolicy loopback = new AddressPolicy(List.of(Cidr.parse("127.0.0.0/8")), List.of());
        Probe probe = new Probe(vertx, new Probe.Settings(64 * 1024, 2048, "Gatewatch-test", List.of(), 2, 1, Duration.ofSeconds(2)),
                new DiagnosisTaker.PortGate(loopback, Set.of(allowed.actualPort())));
        try {
            var task = ProbeSpec.anonymous("http://127.0.0.1:" + allowed.actualPort() + path, 2000)
                    .task("test", List.of(ResolverSpec.parse("system")), Instant.now());
            return probe.check(task, ResolverSpec.parse("system"), "node").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            probe.close();
        }
    }

    @Test
    void anAllowedPortIsFetched() throws Exception {
        CheckResult r = check("/");
        assertTrue(r.ok(), r.toString());
        assertEquals(200, r.status());
    }

    @Test
    void aRedirectToAPortThatIsNotAllowedIsNotFollowed() throws Exception {
        int before = otherHits.get();
        CheckResult r = check("/hop");
        assertFalse(r.ok(), r.toString());
        assertEquals(ErrorClass.TARGET_BLOCKED, r.errorClass(), r.toString());
        assertTrue(r.errorMessage().contains("on port " + other.actualPort() + ", which a diagnosis without an account may not reach"),
                r.errorMessage());
        assertEquals(before, otherHits.get(), "the other port was never asked");
    }
}
