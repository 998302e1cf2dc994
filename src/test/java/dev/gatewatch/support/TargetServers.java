package dev.gatewatch.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * Real servers on a loopback address for an HTTP checker to hit: one plain HTTP server, one HTTPS server per
 * {@link TestCertificates.Kind} (same routes), and raw TCP servers that misbehave below HTTP.
 * {@link #start} blocks, so call it from a test thread, not from an event loop.
 */
public final class TargetServers implements AutoCloseable {

    public static final String NGINX_502_BODY = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
    public static final String JSON_BODY = "{\"status\":\"ok\",\"items\":[{\"name\":\"a\"}],\"count\":3}";
    public static final byte[] GARBAGE_PREFIX = "\u0000\u0001garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final String CLOUDFLARE_522_BODY = "<!DOCTYPE html>\n<html><head><title>gatewatch.test | 522: Connection"
            + " timed out</title></head>\n<body><h1>Error 522</h1><p>Connection timed out</p>"
            + "<p>Ray ID: 8a1b2c3d4e5f6789 &bull; Performance &amp; security by cloudflare</p></body></html>\n";
    private static final int CHUNK = 16 * 1024;
    private static final Buffer CHUNK_BUFFER = Buffer.buffer(new byte[CHUNK]);
    private static final long TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final String bindIp;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<HttpServer> httpServers = new ArrayList<>();
    private final Map<TestCertificates.Kind, Integer> httpsPorts = new EnumMap<>(TestCertificates.Kind.class);
    private final List<ServerSocket> rawServers = new ArrayList<>();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService rawThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "target-servers-raw");
        t.setDaemon(true);
        return t;
    });
    private int httpPort;
    private int resetPort;
    private int garbagePort;
    private int silentPort;
    private int closePort;
    private int refusedPort;

    private TargetServers(Vertx vertx, String bindIp) {
        this.vertx = vertx;
        this.bindIp = bindIp;
    }

    /** Starts every server on ephemeral ports of {@code bindIp}. */
    public static TargetServers start(Vertx vertx, String bindIp) {
        TargetServers s = new TargetServers(vertx, bindIp);
        try {
            s.httpPort = s.listen(new HttpServerOptions());
            for (TestCertificates.Kind kind : TestCertificates.Kind.values()) {
                TestCertificates.Pem pem = TestCertificates.pem(kind);
                s.httpsPorts.put(kind, s.listen(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(pem.cert().toString())
                                .setKeyPath(pem.key().toString()))));
            }
            s.resetPort = s.raw(TargetServers::reset);
            s.garbagePort = s.raw(TargetServers::garbage);
            s.silentPort = s.raw(TargetServers::silent);
            s.closePort = s.raw(TargetServers::closeCleanly);
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(bindIp))) {
                s.refusedPort = probe.getLocalPort(); // nothing listens here once closed
            }
            return s;
        } catch (RuntimeException | IOException e) {
            s.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public String address() {
        return bindIp;
    }

    public int httpPort() {
        return httpPort;
    }

    public int httpsPort(TestCertificates.Kind kind) {
        return httpsPorts.get(kind);
    }

    /** Accepts, reads the request, then aborts with SO_LINGER 0: the client sees a TCP RST ("Connection reset"). */
    public int resetPort() {
        return resetPort;
    }

    /** Reads the request, answers with non-HTTP bytes starting with {@link #GARBAGE_PREFIX}, then closes. */
    public int garbagePort() {
        return garbagePort;
    }

    /** Accepts and never answers (the client hits its read timeout). */
    public int silentPort() {
        return silentPort;
    }

    /** Reads the request, then closes cleanly (FIN) without any response. */
    public int closePort() {
        return closePort;
    }

    /** A port that was bound and released, so connecting is refused. */
    public int refusedPort() {
        return refusedPort;
    }

    /** Requests seen for a path (without query string), over HTTP and HTTPS together. */
    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        List<Future<Void>> closing = new ArrayList<>();
        for (HttpServer server : httpServers) {
            closing.add(server.close());
        }
        for (ServerSocket ss : rawServers) {
            closeQuietly(ss);
        }
        for (Socket s : openSockets) {
            closeQuietly(s);
        }
        rawThreads.shutdownNow();
        try {
            Future.join(closing).toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Best effort: a stuck close must not fail the test that is cleaning up.
        }
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    private int listen(HttpServerOptions options) {
        HttpServer server = vertx.createHttpServer(options.setHost(bindIp).setPort(0)).requestHandler(this::route);
        httpServers.add(server);
        return await(server.listen()).actualPort();
    }

    private void route(HttpServerRequest req) {
        String path = req.path();
        hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        HttpServerResponse res = req.response();
        try {
            if (path.equals("/ok")) {
                text(res, 200, "ok");
            } else if (path.startsWith("/status/")) {
                status(res, Integer.parseInt(path.substring("/status/".length())));
            } else if (path.equals("/json")) {
                res.putHeader("content-type", "application/json").end(JSON_BODY);
            } else if (path.equals("/slow")) {
                vertx.setTimer(delay(req), id -> {
                    if (!res.closed()) {
                        text(res, 200, "slow");
                    }
                });
            } else if (path.equals("/slow-body")) {
                String body = "slow body";
                res.putHeader("content-type", "text/plain").putHeader("content-length", String.valueOf(body.length()));
                res.writeHead();
                vertx.setTimer(delay(req), id -> {
                    if (!res.closed()) {
                        res.end(body);
                    }
                });
            } else if (path.equals("/endless")) {
                res.setChunked(true).putHeader("content-type", "application/octet-stream");
                pump(res, Long.MAX_VALUE, CHUNK_BUFFER);
            } else if (path.equals("/big")) {
                long bytes = Long.parseLong(req.getParam("bytes", "0"));
                if (bytes < 0) {
                    throw new IllegalArgumentException("negative size");
                }
                String fill = req.getParam("fill"); // one character repeated, e.g. a megabyte of 'a' for patterns
                res.putHeader("content-type", fill == null ? "application/octet-stream" : "text/plain")
                        .putHeader("content-length", String.valueOf(bytes));
                pump(res, bytes, fill == null ? CHUNK_BUFFER : filled((byte) fill.charAt(0)));
            } else if (path.equals("/redirect")) {
                String to = req.getParam("to");
                if (to == null) {
                    text(res, 400, "missing to");
                } else {
                    res.setStatusCode(302).putHeader("location", to).end();
                }
            } else if (path.startsWith("/loop/")) {
                long n = Long.parseLong(path.substring("/loop/".length()));
                res.setStatusCode(302).putHeader("location", "/loop/" + (n + 1)).end();
            } else if (path.equals("/nginx-502")) {
                res.setStatusCode(502).putHeader("server", "nginx/1.22.1").putHeader("content-type", "text/html")
                        .end(NGINX_502_BODY);
            } else if (path.equals("/cloudflare-522")) {
                res.setStatusCode(522).setStatusMessage("Origin Connection Time-out")
                        .putHeader("server", "cloudflare").putHeader("cf-ray", "8a1b2c3d4e5f6789-FRA")
                        .putHeader("content-type", "text/html; charset=UTF-8").end(CLOUDFLARE_522_BODY);
            } else if (path.equals("/headers")) {
                JsonObject json = new JsonObject();
                for (String name : req.headers().names()) {
                    json.put(name.toLowerCase(java.util.Locale.ROOT), String.join(", ", req.headers().getAll(name)));
                }
                res.putHeader("content-type", "application/json").end(json.encode());
            } else if (path.equals("/gzip")) {
                res.putHeader("content-type", "text/plain").putHeader("content-encoding", "gzip")
                        .end(Buffer.buffer(gzip("hello gzip")));
            } else {
                text(res, 404, "not found");
            }
        } catch (IllegalArgumentException e) {
            text(res, 400, "bad request: " + e.getMessage());
        }
    }

    private static void text(HttpServerResponse res, int status, String body) {
        res.setStatusCode(status).putHeader("content-type", "text/plain").end(body);
    }

    private static void status(HttpServerResponse res, int code) {
        if (code < 200 || code > 999) {
            throw new IllegalArgumentException("status out of range: " + code);
        }
        res.setStatusCode(code);
        if (code == 204 || code == 304) {
            res.end(); // these must not carry a body
        } else {
            res.putHeader("content-type", "text/plain").end("status " + code);
        }
    }

    private static long delay(HttpServerRequest req) {
        return Math.max(1, Long.parseLong(req.getParam("ms", "0"))); // a Vert.x timer needs >= 1 ms
    }

    /** Writes {@code remaining} bytes in 16 KiB chunks, pausing while the client is not reading. */
    private static void pump(HttpServerResponse res, long remaining, Buffer chunk) {
        long left = remaining;
        while (left > 0 && !res.writeQueueFull()) {
            if (res.closed()) {
                return; // client went away
            }
            int n = (int) Math.min(CHUNK, left);
            res.write(n == CHUNK ? chunk : chunk.getBuffer(0, n));
            left -= n;
        }
        if (left == 0) {
            if (!res.closed()) {
                res.end();
            }
            return;
        }
        long rest = left;
        res.drainHandler(v -> pump(res, rest, chunk));
    }

    private static Buffer filled(byte b) {
        byte[] bytes = new byte[CHUNK];
        java.util.Arrays.fill(bytes, b);
        return Buffer.buffer(bytes);
    }

    private static byte[] gzip(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("server did not start", e);
        }
    }

    // ---- raw TCP -------------------------------------------------------------------------------------------------

    private interface RawHandler {
        void handle(Socket socket) throws IOException;
    }

    private int raw(RawHandler handler) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getByName(bindIp));
        rawServers.add(ss);
        rawThreads.execute(() -> {
            while (!ss.isClosed()) {
                Socket s;
                try {
                    s = ss.accept();
                } catch (IOException e) {
                    return; // closed
                }
                openSockets.add(s);
                rawThreads.execute(() -> {
                    try {
                        handler.handle(s);
                    } catch (IOException e) {
                        // The client may leave first; nothing to report.
                    } finally {
                        closeQuietly(s);
                        openSockets.remove(s);
                    }
                });
            }
        });
        return ss.getLocalPort();
    }

    private static void reset(Socket s) throws IOException {
        readRequestHead(s);
        s.setSoLinger(true, 0); // close() now sends RST instead of FIN
        s.close();
    }

    private static void garbage(Socket s) throws IOException {
        readRequestHead(s);
        byte[] random = new byte[64];
        ThreadLocalRandom.current().nextBytes(random);
        s.getOutputStream().write(GARBAGE_PREFIX);
        s.getOutputStream().write(random);
        s.getOutputStream().flush();
        finishWithFin(s);
    }

    private static void silent(Socket s) throws IOException {
        // Keep reading so the client's write never blocks; hold the connection until it or close() ends it.
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    private static void closeCleanly(Socket s) throws IOException {
        readRequestHead(s);
        finishWithFin(s);
    }

    /** Sends FIN first and drains the rest: closing with unread input would make Linux send RST instead. */
    private static void finishWithFin(Socket s) throws IOException {
        s.shutdownOutput();
        s.setSoTimeout(2000);
        byte[] buf = new byte[4096];
        try {
            while (s.getInputStream().read(buf) >= 0) {
                // discard any request body until the client closes
            }
        } catch (SocketTimeoutException e) {
            // client keeps its side open; close anyway
        }
        s.close();
    }

    /** Reads up to the blank line ending the request head (or EOF / 5 s of silence). */
    private static void readRequestHead(Socket s) throws IOException {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        int matched = 0;
        byte[] end = { '\r', '\n', '\r', '\n' };
        int total = 0;
        try {
            int b;
            while (matched < 4 && total < 64 * 1024 && (b = in.read()) >= 0) {
                total++;
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        } catch (SocketTimeoutException e) {
            // act on what arrived
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // ignore
        }
    }
}
