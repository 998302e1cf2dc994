package dev.gatewatch.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;

/** Proves the loopback peers behave as the checker tests expect. */
class LoopbackPeersTest {

    private static final String SITE = TestCertificates.SITE;

    private static Vertx vertx;
    private static TargetServers servers;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        servers = TargetServers.start(vertx, "127.0.0.1");
        http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setIdleTimeout(5)
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
        if (vertx != null) {
            await(vertx.close());
        }
    }

    // ---- DNS -----------------------------------------------------------------------------------------------------

    @Test
    void dnsRespondersAnswerIndependently() throws Exception {
        try (DnsResponder one = DnsResponder.start("127.0.0.1"); DnsResponder two = DnsResponder.start("127.0.0.2")) {
            assertEquals("127.0.0.2:" + two.port(), two.spec());
            one.answer(SITE, "127.0.0.1");
            two.answer(SITE, "127.0.0.2", "127.0.0.3");
            DnsClient c1 = dns(one, 2000);
            DnsClient c2 = dns(two, 2000);

            assertEquals(List.of("127.0.0.1"), await(c1.resolveA(SITE)));
            assertEquals(List.of("127.0.0.2", "127.0.0.3"), await(c2.resolveA(SITE)));
            assertEquals("127.0.0.1", await(c1.lookup4(SITE)));
            // Case and trailing dot do not matter.
            assertEquals(List.of("127.0.0.1"), await(c1.resolveA("SITE.Gatewatch.TEST.")));
            // A-only name: AAAA is NOERROR with no data.
            assertEquals(List.of(), await(c1.resolveAAAA(SITE)));

            one.answerV6(SITE, "::1");
            List<String> v6 = await(c1.resolveAAAA(SITE));
            assertEquals(1, v6.size());
            assertEquals(InetAddress.getByName("::1"), InetAddress.getByName(v6.get(0)));
            assertEquals(List.of("127.0.0.1"), await(c1.resolveA(SITE)), "AAAA kept the A records");

            // Changed mid-test.
            one.answer(SITE, "127.0.0.9");
            assertEquals(List.of("127.0.0.9"), await(c1.resolveA(SITE)));

            assertEquals(7, one.queries(SITE));
            assertEquals(7, one.queries());
            assertEquals(1, two.queries("site.gatewatch.test."));
        }
    }

    @Test
    void dnsErrors() {
        try (DnsResponder dns = DnsResponder.start("127.0.0.1")) {
            dns.nxdomain("gone.gatewatch.test").servfail("broken.gatewatch.test").drop("blackhole.gatewatch.test")
                    .noAddress("empty.gatewatch.test");
            DnsClient client = dns(dns, 300);

            assertEquals(DnsResponseCode.NXDOMAIN, dnsError(client.resolveA("gone.gatewatch.test")).code());
            assertEquals(DnsResponseCode.NXDOMAIN, dnsError(client.lookup4("unknown.gatewatch.test")).code());
            assertEquals(DnsResponseCode.SERVFAIL, dnsError(client.resolveA("broken.gatewatch.test")).code());
            assertEquals(DnsResponseCode.SERVFAIL, dnsError(client.resolveAAAA("broken.gatewatch.test")).code());

            assertEquals(List.of(), await(client.resolveA("empty.gatewatch.test")));
            assertEquals(List.of(), await(client.resolveAAAA("empty.gatewatch.test")));
            assertNull(await(client.lookup4("empty.gatewatch.test")));

            Throwable timeout = failure(client.resolveA("blackhole.gatewatch.test"));
            assertFalse(timeout instanceof DnsException, String.valueOf(timeout));
            assertTrue(String.valueOf(timeout.getMessage()).toLowerCase().contains("timeout"), String.valueOf(timeout));
            assertEquals(1, dns.queries("blackhole.gatewatch.test"));
        }
    }

    @Test
    void dnsSurvivesMalformedPackets() throws Exception {
        try (DnsResponder dns = DnsResponder.start("127.0.0.1"); DatagramSocket junk = new DatagramSocket()) {
            dns.answer("site.gatewatch.test", "127.0.0.1");
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", dns.port());
            byte[][] packets = { {}, { 1, 2, 3 }, new byte[12], // no question
                    { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1 }, // compressed question
                    { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 60, 'a' } }; // truncated label
            for (byte[] p : packets) {
                junk.send(new DatagramPacket(p, p.length, to));
            }
            assertEquals(List.of("127.0.0.1"), await(dns(dns, 2000).resolveA(SITE)));
            assertEquals(1, dns.queries());
        }
    }

    // ---- TLS -----------------------------------------------------------------------------------------------------

    @Test
    void certificatesHaveTheAdvertisedValidity() {
        Instant now = Instant.now();
        assertTrue(TestCertificates.valid().notAfter().isAfter(now.plus(Duration.ofDays(89))));
        assertTrue(TestCertificates.expired().notAfter().isBefore(now.minus(Duration.ofDays(9))));
        assertTrue(TestCertificates.wrongHost().notAfter().isAfter(now));
        assertTrue(TestCertificates.selfSigned().notAfter().isAfter(now));
        assertTrue(TestCertificates.caPem().toFile().isFile());
    }

    @Test
    void validCertificateVerifiesForTheSiteName() {
        HttpClient tls = tlsClient();
        try {
            Resp r = get(tls, servers.httpsPort(TestCertificates.Kind.VALID), "/headers", SITE);
            assertEquals(200, r.status());
            // Host header carries the name while the socket goes to 127.0.0.1.
            String host = new JsonObject(r.body()).getString("host");
            assertTrue(host.startsWith(SITE), host);
            // The certificate also covers the IP literal and the wildcard.
            assertEquals(200, get(tls, servers.httpsPort(TestCertificates.Kind.VALID), "/ok", "127.0.0.1").status());
            assertEquals(200, get(tls, servers.httpsPort(TestCertificates.Kind.VALID), "/ok", "x.gatewatch.test").status());
        } finally {
            await(tls.close());
        }
    }

    @Test
    void badCertificatesFailVerification() {
        HttpClient tls = tlsClient();
        try {
            for (TestCertificates.Kind kind : List.of(TestCertificates.Kind.EXPIRED, TestCertificates.Kind.WRONG_HOST,
                    TestCertificates.Kind.SELF_SIGNED)) {
                Throwable t = failure(exchange(tls, servers.httpsPort(kind), "/ok", SITE, Future::succeededFuture));
                assertTrue(causedBy(t, SSLHandshakeException.class), kind + ": " + t);
            }
        } finally {
            await(tls.close());
        }
    }

    // ---- HTTP routes ---------------------------------------------------------------------------------------------

    @Test
    void simpleRoutes() throws Exception {
        int port = servers.httpPort();
        Resp ok = get(http, port, "/ok", SITE);
        assertEquals(200, ok.status());
        assertEquals("ok", ok.body(), () -> ok.headers().entries().toString());
        assertTrue(ok.headers().get("content-type").startsWith("text/plain"));

        Resp s503 = get(http, port, "/status/503", SITE);
        assertEquals(503, s503.status());
        assertEquals("status 503", s503.body());
        assertEquals(204, get(http, port, "/status/204", SITE).status());
        assertEquals(404, get(http, port, "/nope", SITE).status());

        Resp json = get(http, port, "/json", SITE);
        assertEquals("application/json", json.headers().get("content-type"));
        assertEquals(3, new JsonObject(json.body()).getInteger("count"));

        Resp big = get(http, port, "/big?bytes=100000", SITE);
        assertEquals("100000", big.headers().get("content-length"));
        assertEquals(100000, big.bytes().length());

        String target = "http://other.gatewatch.test:8080/x?y=1";
        Resp redirect = get(http, port, "/redirect?to=" + URLEncoder.encode(target, StandardCharsets.UTF_8), SITE);
        assertEquals(302, redirect.status());
        assertEquals(target, redirect.headers().get("location"));
        Resp loop = get(http, port, "/loop/7", SITE);
        assertEquals(302, loop.status());
        assertEquals("/loop/8", loop.headers().get("location"));

        Resp nginx = get(http, port, "/nginx-502", SITE);
        assertEquals(502, nginx.status());
        assertEquals("nginx/1.22.1", nginx.headers().get("server"));
        assertEquals(TargetServers.NGINX_502_BODY, nginx.body());

        Resp cf = get(http, port, "/cloudflare-522", SITE);
        assertEquals(522, cf.status());
        assertEquals("cloudflare", cf.headers().get("server"));
        assertEquals("8a1b2c3d4e5f6789-FRA", cf.headers().get("cf-ray"));
        assertTrue(cf.body().contains("Error 522") && cf.body().contains("cloudflare"));

        Resp headers = get(http, port, "/headers", "site.gatewatch.test");
        assertTrue(new JsonObject(headers.body()).getString("host").startsWith("site.gatewatch.test"));

        Resp gz = get(http, port, "/gzip", SITE);
        assertEquals("gzip", gz.headers().get("content-encoding"));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.bytes().getBytes()))) {
            assertEquals("hello gzip", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        assertTrue(servers.hits("/ok") >= 1);
        assertEquals(1, servers.hits("/loop/7"));
        assertEquals(0, servers.hits("/never"));
    }

    @Test
    void slowRoutesAreTimedByTheServer() {
        int port = servers.httpPort();
        long t0 = System.nanoTime();
        assertEquals(200, get(http, port, "/slow?ms=300", SITE).status());
        assertTrue(millisSince(t0) >= 290, "slow answered too early");

        long t1 = System.nanoTime();
        AtomicLong headMs = new AtomicLong();
        Buffer body = await(exchange(http, port, "/slow-body?ms=400", SITE, res -> {
            headMs.set(millisSince(t1));
            return res.body();
        }));
        long bodyMs = millisSince(t1);
        assertTrue(headMs.get() < 300, "headers took " + headMs + " ms");
        assertTrue(bodyMs >= 390, "body after " + bodyMs + " ms");
        assertEquals("slow body", body.toString());
    }

    @Test
    void endlessStreamsUntilTheClientLeaves() throws Exception {
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> enough = new CompletableFuture<>();
        HttpClientResponse res = await(exchange(http, servers.httpPort(), "/endless", SITE, r -> {
            r.handler(chunk -> {
                if (received.addAndGet(chunk.length()) >= 2 * 1024 * 1024) {
                    enough.complete(null);
                }
            });
            return Future.succeededFuture(r);
        }));
        assertEquals(200, res.statusCode());
        assertEquals("chunked", res.getHeader("transfer-encoding"));
        enough.get(5, TimeUnit.SECONDS);
        await(res.request().connection().close());
        // The server is still healthy after the client walked away.
        assertEquals(200, get(http, servers.httpPort(), "/ok", SITE).status());
    }

    // ---- raw TCP -------------------------------------------------------------------------------------------------

    @Test
    void resetPortSendsRst() throws Exception {
        try (Socket s = rawRequest(servers.resetPort())) {
            SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().read());
            assertTrue(e.getMessage().contains("Connection reset"), e.getMessage());
        }
    }

    @Test
    void garbagePortAnswersNonHttp() throws Exception {
        try (Socket s = rawRequest(servers.garbagePort())) {
            byte[] all = s.getInputStream().readAllBytes(); // ends at the server's FIN
            byte[] prefix = TargetServers.GARBAGE_PREFIX;
            assertTrue(all.length > prefix.length);
            assertArrayEquals(prefix, Arrays.copyOf(all, prefix.length));
        }
        // And an HTTP client sees a protocol error, not a response.
        Throwable t = failure(exchange(http, servers.garbagePort(), "/ok", SITE, Future::succeededFuture));
        assertFalse(t instanceof SSLHandshakeException, String.valueOf(t));
    }

    @Test
    void silentPortNeverAnswers() throws Exception {
        try (Socket s = rawRequest(servers.silentPort())) {
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
        }
    }

    @Test
    void closePortClosesCleanly() throws Exception {
        try (Socket s = rawRequest(servers.closePort())) {
            assertEquals(-1, s.getInputStream().read()); // FIN, not RST
        }
    }

    @Test
    void refusedPortRefuses() {
        ConnectException e = assertThrows(ConnectException.class,
                () -> new Socket().connect(new InetSocketAddress("127.0.0.1", servers.refusedPort()), 2000));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    record Resp(int status, MultiMap headers, Buffer bytes) {
        String body() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static DnsClient dns(DnsResponder responder, long timeoutMs) {
        return vertx.createDnsClient(new DnsClientOptions().setHost(responder.address()).setPort(responder.port())
                .setQueryTimeout(timeoutMs));
    }

    private static HttpClient tlsClient() {
        return vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true).setForceSni(true)
                .setConnectTimeout(2000)
                .setTrustOptions(new PemTrustOptions().addCertPath(TestCertificates.caPem().toString())));
    }

    /**
     * Connects to 127.0.0.1:port while naming {@code host} (Host header, SNI, hostname verification). Runs on a
     * Vert.x context and hands the response to {@code then} in the same callback: body data arriving before a
     * handler is set would otherwise be lost.
     */
    private static <T> Future<T> exchange(HttpClient client, int port, String uri, String host,
            Function<HttpClientResponse, Future<T>> then) {
        Promise<T> result = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> client
                .request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(uri)
                        .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1")).setTimeout(5000))
                .compose(req -> req.send().compose(then))
                .onComplete(result));
        return result.future();
    }

    private static Resp get(HttpClient client, int port, String uri, String host) {
        return await(exchange(client, port, uri, host,
                res -> res.body().map(b -> new Resp(res.statusCode(), res.headers(), b))));
    }

    private static Socket rawRequest(int port) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(5000);
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: site.gatewatch.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Throwable failure(Future<?> f) {
        try {
            Object value = f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static DnsException dnsError(Future<?> f) {
        return assertInstanceOf(DnsException.class, failure(f));
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
