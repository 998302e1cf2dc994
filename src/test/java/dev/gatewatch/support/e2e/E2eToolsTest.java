package dev.gatewatch.support.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Proves the end-to-end pieces with real nginx and dnsmasq: nginx on 127.0.0.2:P proxies to a {@link Backend},
 * on 127.0.0.3:P to a port where nothing listens; two dnsmasq give shop.test two different addresses.
 * Plain JUnit (no Quarkus); needs src/test/e2e/install-tools.sh to have run (Maven does it in
 * process-test-resources).
 */
@Tag("e2e") // needs nginx, dnsmasq, chromium or network namespaces (src/test/e2e/install-tools.sh): ./mvnw verify
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class E2eToolsTest {

    private static final String HOST = "shop.test";

    private static Backend backend;
    private static Nginx nginx;
    private static Dnsmasq dnsA;
    private static Dnsmasq dnsB;
    private static int port;

    @BeforeAll
    static void startAll() {
        backend = Backend.start("127.0.0.1", 0);
        int deadPort = Ports.deadTcpPort("127.0.0.1");
        port = Ports.freeTcpPort("127.0.0.2", "127.0.0.3");
        nginx = Nginx.start(
                Nginx.Site.of("127.0.0.2", port, HOST, backend.spec()).withReadTimeout(Duration.ofSeconds(1)),
                Nginx.Site.of("127.0.0.3", port, HOST, "127.0.0.1:" + deadPort));
        dnsA = Dnsmasq.start(Map.of(HOST, "127.0.0.2"));
        dnsB = Dnsmasq.start(Map.of(HOST, "127.0.0.3", "api.test", "127.0.0.9"));
    }

    @AfterAll
    static void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {dnsB, dnsA, nginx, backend}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing
                }
            }
        }
    }

    @Test
    @Order(1)
    void twoDnsmasqGiveTheSameNameTwoAddresses() {
        assertTrue(dnsA.port() != dnsB.port());
        assertEquals("127.0.0.1:" + dnsA.port(), dnsA.spec());
        assertEquals("127.0.0.2", dnsA.lookupA(HOST));
        assertEquals("127.0.0.3", dnsB.lookupA(HOST));
        assertEquals("127.0.0.3", Dnsmasq.lookupA(dnsB.spec(), HOST));
        assertEquals("127.0.0.9", dnsB.lookupA("api.test"));
        // --address=/name/ also covers subdomains; other names have no answer (no upstream, nothing forwarded)
        assertEquals("127.0.0.2", dnsA.lookupA("www." + HOST));
        assertNull(dnsA.lookupA("api.test"));
        assertNull(dnsA.lookupA("example.org"));
        assertTrue(dnsA.log().contains("query[A] " + HOST), dnsA.log());
    }

    @Test
    @Order(2)
    void nginxProxiesToTheBackend() {
        int before = backend.hits();
        HttpProbe.Response response = HttpProbe.get("127.0.0.2", port, HOST, "/");
        assertEquals(200, response.status(), response.body());
        assertEquals("ok", response.body());
        assertEquals("text/plain", response.header("Content-Type"));
        assertEquals(before + 1, backend.hits());
        assertTrue(nginx.accessLog().contains(HOST + " \"GET / HTTP/1.1\" 200"), nginx.accessLog());
    }

    @Test
    @Order(3)
    void deadUpstreamGives502() {
        HttpProbe.Response response = HttpProbe.get("127.0.0.3", port, HOST, "/");
        assertEquals(502, response.status(), response.body());
        assertTrue(response.body().contains("502 Bad Gateway"), response.body());
        assertTrue(response.body().contains("nginx"), response.body());
    }

    @Test
    @Order(4)
    void stoppedBackendGives502ThenRecovers() {
        backend.stop();
        assertFalse(Ports.acceptsTcp(backend.address(), backend.port()));
        HttpProbe.Response down = HttpProbe.get("127.0.0.2", port, HOST, "/");
        assertEquals(502, down.status(), down.body());
        assertTrue(nginx.errorLog().contains("connect() failed (111: Connection refused)"), nginx.errorLog());

        backend.start();
        HttpProbe.Response up = HttpProbe.get("127.0.0.2", port, HOST, "/");
        assertEquals(200, up.status(), up.body());
        assertEquals("ok", up.body());
    }

    @Test
    @Order(5)
    void slowBackendGives504() {
        backend.slow(Duration.ofSeconds(2));
        try {
            long start = System.nanoTime();
            HttpProbe.Response response = HttpProbe.get("127.0.0.2", port, HOST, "/");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(504, response.status(), response.body());
            assertTrue(millis >= 900 && millis < 1900, "took " + millis + " ms");
            assertTrue(nginx.errorLog().contains("upstream timed out"), nginx.errorLog());
        } finally {
            backend.ok();
        }
    }

    @Test
    @Order(6)
    void garbageFromTheBackend() {
        backend.garbage();
        try {
            byte[] direct = HttpProbe.exchange(backend.address(), backend.port(), new byte[0], Duration.ofSeconds(5));
            assertArrayEquals(Backend.GARBAGE, direct);

            // nginx takes a reply with no status line for HTTP/0.9 and relays it raw: no 502, no status line at all
            HttpProbe.Response response = HttpProbe.get("127.0.0.2", port, HOST, "/");
            assertEquals(-1, response.status(), response.body());
            assertArrayEquals(Backend.GARBAGE, response.raw());
            assertTrue(nginx.errorLog().contains("upstream sent no valid HTTP/1.0 header"), nginx.errorLog());
        } finally {
            backend.ok();
        }
        assertEquals(200, HttpProbe.get("127.0.0.2", port, HOST, "/").status());
    }

    @Test
    @Order(7)
    void badHeaderFromTheBackendGives502() {
        backend.badHeader();
        try {
            byte[] direct = HttpProbe.exchange(backend.address(), backend.port(),
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(5));
            assertArrayEquals(Backend.BAD_HEADER, direct);

            HttpProbe.Response response = HttpProbe.get("127.0.0.2", port, HOST, "/");
            assertEquals(502, response.status(), response.body());
            assertTrue(nginx.errorLog().contains("upstream sent invalid header"), nginx.errorLog());
        } finally {
            backend.ok();
        }
    }

    @Test
    @Order(8)
    void backendHangingUpGives502() {
        backend.hangUp();
        try {
            HttpProbe.Response response = HttpProbe.get("127.0.0.2", port, HOST, "/");
            assertEquals(502, response.status(), response.body());
            assertTrue(nginx.errorLog().contains("upstream prematurely closed connection"), nginx.errorLog());
        } finally {
            backend.ok();
        }
        assertEquals(200, HttpProbe.get("127.0.0.2", port, HOST, "/").status());
    }

    @Test
    @Order(9)
    void closeStopsTheProcessesAndRemovesTheirFiles() {
        Dnsmasq extra = Dnsmasq.start(Map.of("x.test", "127.0.0.4"));
        Path dir = extra.dir();
        ProcessHandle handle = ProcessHandle.of(extra.pid()).orElseThrow();
        assertEquals("127.0.0.4", extra.lookupA("x.test"));
        extra.close();
        assertFalse(handle.isAlive());
        assertFalse(Files.exists(dir));
        assertThrows(UncheckedIOException.class, () -> Dnsmasq.lookupA(extra.spec(), "x.test"));
    }

    @Test
    @Order(10)
    void nginxOnATakenPortIsRefusedUpFront() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Nginx.start(List.of(Nginx.Site.of("127.0.0.2", port, HOST, backend.spec()))));
        assertTrue(e.getMessage().contains("127.0.0.2:" + port + " is already in use"), e.getMessage());
    }

    @Test
    @Order(11)
    void aProcessThatExitsFailsWithTheTailOfItsLog() {
        Path dir = E2eProcess.tempDir("broken");
        Path errorLog = dir.resolve("error.log");
        E2eProcess broken = E2eProcess.start("nginx", List.of(Nginx.BINARY, "-p", dir + "/", "-e", errorLog.toString(),
                "-c", dir.resolve("missing.conf").toString()), dir, List.of(errorLog));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> broken.awaitReady("never ready", () -> false));
        assertTrue(e.getMessage().contains("exited with code 1"), e.getMessage());
        assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
        assertFalse(Files.exists(dir));
    }
}
