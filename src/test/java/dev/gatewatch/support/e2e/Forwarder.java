package dev.gatewatch.support.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One TCP (or UDP) port of the host's loopback made reachable on the same port of a {@link Netns}'s loopback, through a
 * UNIX socket and two {@code socat}s: inside, {@code TCP-LISTEN:port,bind=127.0.0.1} → {@code UNIX-CONNECT:sock};
 * outside, {@code UNIX-LISTEN:sock} → {@code TCP:127.0.0.1:port}. For UDP (a DNS server), each datagram gets a
 * connection of its own that carries it and its answer. No address outside 127.0.0.0/8 is involved on either side.
 * {@link #cut()} ends both socats and every connection through them, so inside the port refuses as if the path were
 * gone; {@link #blackHole()} drops what is sent there instead, so it times out; {@link #restore()} brings it back.
 */
public final class Forwarder implements AutoCloseable {

    public static final String SOCAT = "/usr/bin/socat";

    private final Netns ns;
    private final int port;
    private final boolean udp;
    private boolean dropped;
    private E2eProcess outside;
    private E2eProcess inside;

    private Forwarder(Netns ns, int port, boolean udp) {
        this.ns = ns;
        this.port = port;
        this.udp = udp;
    }

    /** Forwards TCP {@code port} (127.0.0.1 in the namespace to 127.0.0.1 on the host), ready when this returns. */
    public static Forwarder start(Netns ns, int port) {
        return new Forwarder(ns, port, false).restore();
    }

    /** Forwards UDP {@code port}, one datagram and its answer at a time (DNS). */
    public static Forwarder startUdp(Netns ns, int port) {
        return new Forwarder(ns, port, true).restore();
    }

    public int port() {
        return port;
    }

    /** Listening and passing traffic again (a no-op while it is). */
    public synchronized Forwarder restore() {
        undrop();
        if (inside != null) {
            return this;
        }
        String proto = udp ? "udp" : "tcp";
        Path dir = E2eProcess.tempDir("fwd-" + proto + port);
        Path socket = dir.resolve("fwd.sock");
        outside = E2eProcess.start("socat outside " + ns.name() + ":" + proto + port,
                List.of(SOCAT, "UNIX-LISTEN:" + socket + ",fork,unlink-early", (udp ? "UDP:" : "TCP:") + "127.0.0.1:" + port), dir, List.of());
        outside.awaitReady("listening on " + socket, () -> Files.exists(socket));
        // -T: a UDP child ends once its datagram is answered and the line is idle, instead of living on.
        List<String> command = udp
                ? ns.command(SOCAT, "-T", "5", "UDP-RECVFROM:" + port + ",bind=127.0.0.1,fork", "UNIX-CONNECT:" + socket)
                : ns.command(SOCAT, "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr", "UNIX-CONNECT:" + socket);
        inside = E2eProcess.start("socat inside " + ns.name() + ":" + proto + port, command,
                E2eProcess.tempDir("fwd-" + proto + port + "-in"), List.of());
        inside.awaitReady("listening on 127.0.0.1:" + port + "/" + proto + " in " + ns.name(),
                () -> udp ? ns.listensUdp(port) : ns.listensTcp(port));
        return this;
    }

    /** Drops what is sent to the port inside (TCP only): connecting times out, open connections stall. */
    public synchronized Forwarder blackHole() {
        if (udp) {
            throw new UnsupportedOperationException("black-holing is for TCP forwarders");
        }
        if (!dropped) {
            ns.dropTcp(port);
            dropped = true;
        }
        return this;
    }

    /** Ends both socats and the connections they carry: inside, the port refuses. */
    public synchronized Forwarder cut() {
        undrop();
        if (inside != null) {
            inside.close();
            outside.close();
            inside = null;
            outside = null;
        }
        return this;
    }

    private void undrop() {
        if (dropped) {
            ns.undropTcp(port);
            dropped = false;
        }
    }

    @Override
    public void close() {
        cut();
    }

    @Override
    public String toString() {
        return "Forwarder[" + ns.name() + ":" + (udp ? "udp" : "tcp") + port + (inside == null ? ", cut" : "") + (dropped ? ", black hole" : "") + "]";
    }
}
