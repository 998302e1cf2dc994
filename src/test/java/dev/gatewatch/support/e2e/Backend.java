package dev.gatewatch.support.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny HTTP/1.1 back end on a loopback address, on a raw {@link ServerSocket}, whose behaviour a test switches
 * while it runs: {@link #ok()}, {@link #slow(Duration)}, {@link #garbage()}, {@link #badHeader()},
 * {@link #hangUp()}; {@link #stop()} closes the listening socket (connections are then refused) and
 * {@link #start()} listens again on the same port.
 * <p>
 * What nginx 1.22 (Debian 12) makes of each, as a reverse proxy in front of it:
 * <ul>
 * <li>{@link #ok()}: 200 "ok";</li>
 * <li>{@link #slow(Duration)} longer than proxy_read_timeout: 504, "upstream timed out (110: Connection timed
 * out)";</li>
 * <li>{@link #stop()}: 502, "connect() failed (111: Connection refused)";</li>
 * <li>{@link #garbage()}: <b>not</b> a 502. nginx takes a response without a status line for HTTP/0.9: it logs
 * "upstream sent no valid HTTP/1.0 header" and relays the raw bytes to the client, with no status line or
 * headers;</li>
 * <li>{@link #badHeader()}: 502, "upstream sent invalid header";</li>
 * <li>{@link #hangUp()}: 502, "upstream prematurely closed connection".</li>
 * </ul>
 * <p>
 * Each connection gets its own thread and one request: the answer carries {@code Connection: close} and the
 * connection is closed after it, so keep-alive from a proxy needs no handling.
 */
public final class Backend implements AutoCloseable {

    /** What {@link #garbage()} writes: not HTTP at all. */
    public static final byte[] GARBAGE = "\u0000\u0001garbage not http\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private static final byte[] OK_RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 2\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + "ok").getBytes(StandardCharsets.ISO_8859_1);

    /** What {@link #badHeader()} writes: a good status line, then a header line with NUL bytes. */
    public static final byte[] BAD_HEADER = ("HTTP/1.1 200 OK\r\n"
            + "\u0000\u0001garbage not http\r\n"
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private static final int MAX_HEAD = 64 * 1024;

    private enum Kind { OK, SLOW, GARBAGE, BAD_HEADER, HANG_UP }

    private record Mode(Kind kind, Duration delay) {
    }

    private final String address;
    private final int port;
    private final AtomicReference<Mode> mode = new AtomicReference<>(new Mode(Kind.OK, Duration.ZERO));
    private final AtomicInteger hits = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService connections;
    private ServerSocket listener;
    private Thread acceptor;
    private boolean closed;

    private Backend(String address, int port) {
        this.address = address;
        this.port = port;
        AtomicInteger n = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "e2e-backend-" + address + ":" + port + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens on {@code address:port} (a 127.x.y.z literal; port 0 picks a free one), answering {@link #ok()}. */
    public static Backend start(String address, int port) {
        Backend backend;
        if (port == 0) {
            backend = new Backend(address, Ports.freeTcpPort(address));
        } else {
            backend = new Backend(address, port);
        }
        backend.start();
        return backend;
    }

    /** Answers 200, {@code Content-Type: text/plain}, body "ok". */
    public Backend ok() {
        mode.set(new Mode(Kind.OK, Duration.ZERO));
        return this;
    }

    /** Reads the request, sleeps {@code delay}, then answers as {@link #ok()}. */
    public Backend slow(Duration delay) {
        mode.set(new Mode(Kind.SLOW, delay));
        return this;
    }

    /**
     * Accepts the connection, writes {@link #GARBAGE} at once (before reading anything), closes its sending side,
     * then reads and drops whatever the client sent until it closes (at most 2 s), so the client sees the bytes and
     * a clean end of stream, not a reset.
     */
    public Backend garbage() {
        mode.set(new Mode(Kind.GARBAGE, Duration.ZERO));
        return this;
    }

    /** Reads the request, then answers {@link #BAD_HEADER}: a status line, then a header line that is not HTTP. */
    public Backend badHeader() {
        mode.set(new Mode(Kind.BAD_HEADER, Duration.ZERO));
        return this;
    }

    /** Reads the request, then closes the connection without answering anything. */
    public Backend hangUp() {
        mode.set(new Mode(Kind.HANG_UP, Duration.ZERO));
        return this;
    }

    /** Listens again on the same address and port (after {@link #stop()}); a no-op while listening. */
    public synchronized Backend start() {
        if (closed) {
            throw new IllegalStateException("backend closed");
        }
        if (listener != null) {
            return this;
        }
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(Ports.loopback(address), port), 128);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
        }
        listener = socket;
        ServerSocket accepting = socket;
        acceptor = new Thread(() -> acceptLoop(accepting), "e2e-backend-accept-" + address + ":" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /**
     * Closes the listening socket: new connections are refused once this returns. Connections already accepted
     * finish.
     */
    public synchronized Backend stop() {
        closeQuietly(listener);
        listener = null;
        // The JDK closes a socket that a thread is blocked in accept() on only when that thread has left accept();
        // until then the kernel still completes handshakes. Wait for it, so "stopped" really means "refused".
        if (acceptor != null) {
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor = null;
        }
        return this;
    }

    public synchronized boolean listening() {
        return listener != null;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** "address:port", as an nginx upstream. */
    public String spec() {
        return address + ":" + port;
    }

    /**
     * Requests that reached this back end so far, in any mode, counted once the request head is read (before the
     * answer, and before a slow answer's delay); with {@link #garbage()}, every accepted connection. A connection
     * that closes before sending a whole request head (a port probe) is not counted.
     */
    public int hits() {
        return hits.get();
    }

    @Override
    public synchronized void close() {
        closed = true;
        stop();
        for (Socket s : open) {
            closeQuietly(s);
        }
        connections.shutdownNow();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
                continue;
            }
            open.add(connection);
            try {
                connections.execute(() -> serve(connection));
            } catch (RuntimeException rejected) {
                open.remove(connection);
                closeQuietly(connection);
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(10_000);
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            Mode current = mode.get();
            if (current.kind() == Kind.GARBAGE) {
                hits.incrementAndGet();
                out.write(GARBAGE);
                out.flush();
                connection.shutdownOutput();
                drain(connection, in);
                return;
            }
            if (!readRequest(in)) {
                return;
            }
            // counted before answering, so a client that has its answer also sees it counted
            hits.incrementAndGet();
            if (current.kind() == Kind.SLOW) {
                Thread.sleep(current.delay().toMillis());
            }
            if (current.kind() == Kind.HANG_UP) {
                connection.shutdownOutput();
                return;
            }
            out.write(current.kind() == Kind.BAD_HEADER ? BAD_HEADER : OK_RESPONSE);
            out.flush();
            connection.shutdownOutput();
        } catch (IOException e) {
            // the client went away (a proxy giving up on a slow answer): nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(connection);
        }
    }

    /** Reads one request head and any Content-Length body; false when the stream ends first. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head too long");
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        long skipped = 0;
        while (skipped < length) {
            long n = in.skip(length - skipped);
            if (n <= 0) {
                if (in.read() < 0) {
                    return false;
                }
                n = 1;
            }
            skipped += n;
        }
        return true;
    }

    private static void drain(Socket connection, InputStream in) throws IOException {
        connection.setSoTimeout(2_000);
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // drop it
            }
        } catch (SocketTimeoutException e) {
            // the client kept its side open: close anyway
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing
        }
    }

    @Override
    public String toString() {
        return "Backend[" + spec() + ", " + mode.get().kind() + "]";
    }
}
