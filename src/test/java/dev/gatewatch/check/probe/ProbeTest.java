package dev.gatewatch.check.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.CheckTask;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.cdn.ErrorSource;
import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.JsonAssertion;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.monitor.validation.StatusCodes;
import dev.gatewatch.support.DnsResponder;
import dev.gatewatch.support.TargetServers;
import dev.gatewatch.support.TestCertificates;
import dev.gatewatch.support.TestCertificates.Kind;
import dev.gatewatch.target.AddressPolicy;
import dev.gatewatch.target.Cidr;
import io.vertx.core.Vertx;

/**
 * One check against real loopback peers per row: HTTP and HTTPS targets that misbehave in every listed way, and two
 * DNS responders that send the same name to different addresses.
 */
class ProbeTest {

    static final String SITE = TestCertificates.SITE;
    static Vertx vertx;
    static TargetServers targets;
    static DnsResponder good;
    static DnsResponder stale;
    static Probe probe;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        targets = TargetServers.start(vertx, "127.0.0.1");
        good = DnsResponder.start("127.0.0.1").answer(SITE, "127.0.0.1").nxdomain("gone.gatewatch.test")
                .servfail("broken.gatewatch.test").drop("slow.gatewatch.test").noAddress("empty.gatewatch.test")
                .answer("blocked.gatewatch.test", "127.0.0.200").answerV6("v6.gatewatch.test", "::1");
        stale = DnsResponder.start("127.0.0.2").answer(SITE, "127.0.0.2"); // nothing listens on 127.0.0.2
        // loopback is allowed only up to 127.0.0.127, so 127.0.0.200 stands for an internal address
        AddressPolicy policy = new AddressPolicy(List.of(Cidr.parse("127.0.0.0/25"), Cidr.parse("::1/128")), List.of());
        probe = new Probe(vertx, new Probe.Settings(64 * 1024, 2048, "Gatewatch-test", List.of(TestCertificates.caPem()), 4, 2,
                Duration.ofSeconds(2)),
                policy);
    }

    @AfterAll
    static void stop() {
        probe.close();
        targets.close();
        good.close();
        stale.close();
        vertx.close();
    }

    /** One row: the URL (given the servers), the resolver, tweaks to the monitor, and what the result must show. */
    record Case(String name, Function<TargetServers, String> url, String resolver, Function<CheckTask, CheckTask> monitor,
            ErrorClass error, Integer status, BiConsumer<CheckResult, TargetServers> more) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case ok(String name, Function<TargetServers, String> url, BiConsumer<CheckResult, TargetServers> more) {
        return new Case(name, url, "good", t -> t, null, 200, more);
    }

    static Case fails(String name, Function<TargetServers, String> url, ErrorClass error, Integer status) {
        return new Case(name, url, "good", t -> t, error, status, (r, s) -> { });
    }

    static String http(TargetServers s, String path) {
        return "http://" + SITE + ":" + s.httpPort() + path;
    }

    static String https(TargetServers s, Kind kind, String path) {
        return "https://" + SITE + ":" + s.httpsPort(kind) + path;
    }

    static CheckTask timeout(CheckTask t, int ms) {
        return new CheckTask(t.monitorId(), t.region(), t.dueAt(), t.intervalSeconds(), t.url(), t.method(), t.headers(),
                t.body(), t.expectedStatus(), t.bodyAssertions(), t.jsonAssertions(), ms, t.followRedirects(),
                t.maxRedirects(), t.resolvers());
    }

    static CheckTask asserting(CheckTask t, List<BodyAssertion> body, List<JsonAssertion> json) {
        return new CheckTask(t.monitorId(), t.region(), t.dueAt(), t.intervalSeconds(), t.url(), t.method(), t.headers(),
                t.body(), t.expectedStatus(), body, json, t.timeoutMs(), t.followRedirects(), t.maxRedirects(), t.resolvers());
    }

    static Stream<Case> cases() {
        return Stream.of(
                ok("200 through the good resolver", s -> http(s, "/ok"), (r, s) -> {
                    assertEquals("127.0.0.1", r.resolvedIp());
                    assertNotNull(r.timings().dnsMs());
                    assertNotNull(r.timings().connectMs());
                    assertNotNull(r.timings().ttfbMs());
                    assertNull(r.timings().tlsMs());
                    assertEquals(2, r.bodyBytes());
                }),
                new Case("200 through the system resolver", s -> "http://system.gatewatch.test:" + s.httpPort() + "/ok",
                        "system", t -> t, null, 200, (r, s) -> assertEquals("127.0.0.1", r.resolvedIp())),
                new Case("the stale resolver sends us to a dead address", s -> http(s, "/ok"), "stale", t -> t,
                        ErrorClass.CONNECT_REFUSED, null, (r, s) -> assertEquals("127.0.0.2", r.resolvedIp())),
                ok("an IP literal needs no DNS", s -> "http://127.0.0.1:" + s.httpPort() + "/ok",
                        (r, s) -> assertNull(r.timings().dnsMs())),
                new Case("IPv6 from AAAA when there is no A", s -> "http://v6.gatewatch.test:" + s.httpPort() + "/ok", "good", t -> t,
                        ErrorClass.CONNECT_REFUSED, null, (r, s) -> assertEquals("::1", r.resolvedIp())),
                new Case("nginx 502 is the origin's", s -> http(s, "/nginx-502"), "good", t -> t, ErrorClass.ASSERTION_FAILED, 502, (r, s) -> {
                    assertEquals(ErrorSource.ORIGIN, r.edge().errorSource());
                    assertEquals("nginx", r.edge().generator());
                    assertTrue(r.errorBody().contains("<center>nginx/1.22.1</center>"), r.errorBody());
                    assertEquals("status 502 is not one of 200-399", r.errorMessage());
                }),
                new Case("Cloudflare 522 is the edge's", s -> http(s, "/cloudflare-522"), "good", t -> t, ErrorClass.ASSERTION_FAILED, 522, (r, s) -> {
                    assertEquals("cloudflare", r.edge().provider());
                    assertEquals("FRA", r.edge().pop());
                    assertEquals(ErrorSource.EDGE, r.edge().errorSource());
                }),
                new Case("slow answer", s -> http(s, "/slow?ms=3000"), "good", t -> timeout(t, 1000), ErrorClass.READ_TIMEOUT, null, (r, s) -> {
                    assertTrue(r.timings().totalMs() >= 1000 && r.timings().totalMs() < 2500, "total " + r.timings().totalMs());
                }),
                new Case("slow body", s -> http(s, "/slow-body?ms=3000"), "good", t -> timeout(t, 1000), ErrorClass.READ_TIMEOUT, 200,
                        (r, s) -> assertNotNull(r.timings().ttfbMs())),
                fails("reset", s -> "http://" + SITE + ":" + s.resetPort() + "/", ErrorClass.CONNECTION_RESET, null),
                fails("closed without a response", s -> "http://" + SITE + ":" + s.closePort() + "/", ErrorClass.CONNECTION_RESET, null),
                new Case("garbage bytes", s -> "http://" + SITE + ":" + s.garbagePort() + "/", "good", t -> t, ErrorClass.MALFORMED_RESPONSE, null,
                        (r, s) -> assertTrue(r.errorMessage().contains("not HTTP"), r.errorMessage())),
                new Case("silent server", s -> "http://" + SITE + ":" + s.silentPort() + "/", "good", t -> timeout(t, 1000), ErrorClass.READ_TIMEOUT, null, (r, s) -> { }),
                fails("connection refused", s -> "http://" + SITE + ":" + s.refusedPort() + "/", ErrorClass.CONNECT_REFUSED, null),
                fails("endless body", s -> http(s, "/endless"), ErrorClass.BODY_TOO_LARGE, 200),
                fails("body over the limit", s -> http(s, "/big?bytes=70000"), ErrorClass.BODY_TOO_LARGE, 200),
                ok("body under the limit", s -> http(s, "/big?bytes=60000"), (r, s) -> assertEquals(60000, r.bodyBytes())),
                new Case("redirect loop", s -> http(s, "/loop/0"), "good", t -> t, ErrorClass.TOO_MANY_REDIRECTS, 302,
                        (r, s) -> assertEquals(3, r.redirects())),
                ok("redirect followed", s -> http(s, "/redirect?to=%2Fok"), (r, s) -> {
                    assertEquals(1, r.redirects());
                    assertTrue(r.finalUrl().endsWith("/ok"), r.finalUrl());
                }),
                fails("redirect into a refused network", s -> http(s, "/redirect?to=http%3A%2F%2F127.0.0.200%3A" + s.httpPort() + "%2Fok"),
                        ErrorClass.TARGET_BLOCKED, null),
                new Case("resolved into a refused network", s -> "http://blocked.gatewatch.test:" + s.httpPort() + "/ok", "good", t -> t,
                        ErrorClass.TARGET_BLOCKED, null, (r, s) -> {
                            // the owner learns the kind of range, never the internal DNS answer
                            assertTrue(r.errorMessage().contains("is a loopback address; not fetched"), r.errorMessage());
                            assertFalse(r.errorMessage().contains("127.0.0.200"), r.errorMessage());
                            assertNull(r.resolvedIp());
                        }),
                fails("NXDOMAIN", s -> "http://gone.gatewatch.test:" + s.httpPort() + "/ok", ErrorClass.DNS_NXDOMAIN, null),
                fails("SERVFAIL", s -> "http://broken.gatewatch.test:" + s.httpPort() + "/ok", ErrorClass.DNS_SERVFAIL, null),
                new Case("resolver does not answer", s -> "http://slow.gatewatch.test:" + s.httpPort() + "/ok", "good", t -> timeout(t, 1000),
                        ErrorClass.DNS_TIMEOUT, null, (r, s) -> { }),
                fails("no address", s -> "http://empty.gatewatch.test:" + s.httpPort() + "/ok", ErrorClass.DNS_NO_ADDRESS, null),
                new Case("resolver inside a refused network", s -> http(s, "/ok"), "blocked", t -> t, ErrorClass.TARGET_BLOCKED, null,
                        (r, s) -> assertTrue(r.errorMessage().contains("the resolver 127.0.0.200 is refused: a loopback address; not asked"),
                                r.errorMessage())),
                // refused before a packet is sent, so nothing leaves the machine
                new Case("public resolver on a port other than 53", s -> http(s, "/ok"), "public-port", t -> t, ErrorClass.TARGET_BLOCKED, null,
                        (r, s) -> assertTrue(r.errorMessage().contains("1.1.1.1:22 is refused: on port 22"), r.errorMessage())),
                ok("https with a valid certificate", s -> https(s, Kind.VALID, "/ok"), (r, s) -> {
                    assertNotNull(r.timings().tlsMs());
                    assertEquals(TestCertificates.valid().notAfter().truncatedTo(ChronoUnit.SECONDS), r.tlsExpiresAt());
                }),
                new Case("https with an expired certificate", s -> https(s, Kind.EXPIRED, "/ok"), "good", t -> t, ErrorClass.TLS_EXPIRED, null,
                        (r, s) -> assertEquals(TestCertificates.expired().notAfter().truncatedTo(ChronoUnit.SECONDS), r.tlsExpiresAt())),
                fails("https with a self-signed certificate", s -> https(s, Kind.SELF_SIGNED, "/ok"), ErrorClass.TLS_UNTRUSTED, null),
                fails("https with another host's certificate", s -> https(s, Kind.WRONG_HOST, "/ok"), ErrorClass.TLS_HOSTNAME, null),
                new Case("the Host header names the site, not the address", s -> http(s, "/headers"), "good",
                        t -> asserting(t, List.of(new BodyAssertion("regex", "\"host\":\"site\\.gatewatch\\.test:\\d+\"")), List.of()),
                        null, 200, (r, s) -> { }),
                new Case("JSON assertions hold", s -> http(s, "/json"), "good",
                        t -> asserting(t, List.of(new BodyAssertion("contains", "items")), List.of(new JsonAssertion("$.status", "equals", "ok"),
                                new JsonAssertion("$.count", "greater_than", "2"), new JsonAssertion("$.items[0].name", "equals", "a"))),
                        null, 200, (r, s) -> { }),
                new Case("a JSON assertion fails", s -> http(s, "/json"), "good",
                        t -> asserting(t, List.of(), List.of(new JsonAssertion("$.count", "less_than", "2"))), ErrorClass.ASSERTION_FAILED, 200,
                        (r, s) -> assertEquals("$.count is '3', expected less than '2'", r.errorMessage())),
                new Case("gzip bodies are decoded for assertions", s -> http(s, "/gzip"), "good",
                        t -> asserting(t, List.of(new BodyAssertion("contains", "hello gzip")), List.of()), null, 200, (r, s) -> { }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void check(Case c) throws Exception {
        String resolver = switch (c.resolver()) {
            case "good" -> good.spec();
            case "stale" -> stale.spec();
            case "blocked" -> "127.0.0.200:53";
            case "public-port" -> "1.1.1.1:22";
            default -> "system";
        };
        CheckTask task = c.monitor().apply(new CheckTask(7, "local", Instant.now(), 30, URI.create(c.url().apply(targets)), "GET",
                Map.of(), null, StatusCodes.parse("200-399"), List.of(), List.of(), 5000, true, 3, List.of(ResolverSpec.parse(resolver))));
        CheckResult r = probe.check(task, ResolverSpec.parse(resolver), "node-1").toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(c.error(), r.errorClass(), () -> "error class; message: " + r.errorMessage());
        assertEquals(c.error() == null, r.ok());
        assertEquals(c.status(), r.status());
        assertEquals(7, r.monitorId());
        assertEquals(ResolverSpec.parse(resolver).text(), r.resolver());
        assertTrue(r.timings().totalMs() >= 0);
        c.more().accept(r, targets);
    }
}
