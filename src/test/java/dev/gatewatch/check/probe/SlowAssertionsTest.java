package dev.gatewatch.check.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.CheckTask;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.monitor.validation.StatusCodes;
import dev.gatewatch.support.TargetServers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Judging a megabyte with an expensive pattern happens off the event loop and within its budget: a check started on
 * the same event loop right after it completes first, and the expensive one fails as not judged in time.
 */
class SlowAssertionsTest {

    static final int MEGABYTE = 1 << 20;
    static Vertx vertx;
    static TargetServers targets;
    static Probe probe;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)); // one event loop: blocking it stalls everything
        targets = TargetServers.start(vertx, "127.0.0.1");
        probe = new Probe(vertx, new Probe.Settings(MEGABYTE, 2048, "Gatewatch-test", List.of(), 2, 1, Duration.ofSeconds(1)),
                address -> java.util.Optional.empty());
    }

    @AfterAll
    static void stop() {
        probe.close();
        targets.close();
        vertx.close();
    }

    static CheckTask task(String path, List<BodyAssertion> body, int timeoutMs) {
        return new CheckTask(1, "local", Instant.now(), 30, URI.create("http://127.0.0.1:" + targets.httpPort() + path), "GET",
                Map.of(), null, StatusCodes.parse("200-399"), body, List.of(), timeoutMs, false, 0, List.of(ResolverSpec.parse("system")));
    }

    @Test
    void anExpensivePatternDoesNotHoldTheEventLoop() throws Exception {
        // a{1000}b is linear in RE2, but 1,000 states per character over 1 MiB is ~10 s of work: only the budget stops it
        CheckTask heavy = task("/big?bytes=" + MEGABYTE + "&fill=a", List.of(new BodyAssertion("regex", "a{1000}b")), 10_000);
        CheckTask light = task("/ok", List.of(new BodyAssertion("contains", "ok")), 10_000);
        Context loop = vertx.getOrCreateContext();
        CompletableFuture<CheckResult> heavyResult = new CompletableFuture<>();
        CompletableFuture<CheckResult> lightResult = new CompletableFuture<>();
        AtomicLong heavyDone = new AtomicLong();
        AtomicLong lightDone = new AtomicLong();
        loop.runOnContext(v -> probe.check(heavy, ResolverSpec.parse("system"), "node").onSuccess(r -> {
            heavyDone.set(System.nanoTime());
            heavyResult.complete(r);
            // the light check starts once the heavy one's body is in and being judged
        }));
        // wait until the heavy body has arrived (its judging then runs for up to the 1 s budget)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (targets.hits("/big") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300); // the megabyte is sent over loopback well within this; judging has begun
        loop.runOnContext(v -> probe.check(light, ResolverSpec.parse("system"), "node").onSuccess(r -> {
            lightDone.set(System.nanoTime());
            lightResult.complete(r);
        }));

        CheckResult l = lightResult.get(20, TimeUnit.SECONDS);
        CheckResult h = heavyResult.get(20, TimeUnit.SECONDS);
        assertTrue(l.ok(), l.errorMessage());
        assertTrue(heavyDone.get() == 0 || lightDone.get() < heavyDone.get(), "the light check waited for the heavy one's judging");
        assertEquals(ErrorClass.ASSERTION_FAILED, h.errorClass(), h.errorMessage());
        assertEquals(200, h.status());
        assertEquals(MEGABYTE, h.bodyBytes());
        assertEquals("the assertions did not finish within their budget of 1000 ms", h.errorMessage());
        assertTrue(h.timings().totalMs() < 8000, "judging ran past its budget: " + h.timings().totalMs() + " ms");
    }

    @Test
    void judgingNeverRunsPastTheMonitorsTimeout() throws Exception {
        Probe generous = new Probe(vertx, new Probe.Settings(MEGABYTE, 2048, "Gatewatch-test", List.of(), 2, 1, Duration.ofSeconds(30)),
                address -> java.util.Optional.empty());
        try {
            CheckResult r = generous.check(task("/big?bytes=" + MEGABYTE + "&fill=a", List.of(new BodyAssertion("regex", "a{1000}b")), 2000),
                    ResolverSpec.parse("system"), "node").toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals(ErrorClass.ASSERTION_FAILED, r.errorClass(), r.errorMessage());
            assertEquals("the assertions did not finish within the timeout of 2000 ms", r.errorMessage());
            assertEquals(List.of(r.errorMessage()), r.assertionFailures());
        } finally {
            generous.close();
        }
    }
}
