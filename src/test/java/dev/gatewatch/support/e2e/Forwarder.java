package dev.gatewatch.support.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One TCP port of the host's loopback made reachable on the same port of a {@link Netns}'s loopback, through a UNIX
 * socket and two {@code socat}s: inside, {@code TCP-LISTEN:port,bind=127.0.0.1} → {@code UNIX-CONNECT:sock}; outside,
 * {@code UNIX-LISTEN:sock} → {@code TCP:127.0.0.1:port}. No address outside 127.0.0.0/8 is involved on either side.
 * {@link #cut()} ends both socats and every connection through them, so inside the port refuses as if the path were
 * gone; {@link #restore()} brings it back.
 */
public final class Forwarder implements AutoCloseable {

    public static final String SOCAT = "/usr/bin/socat";

    private final Netns ns;
    private final int port;
    private E2eProcess outside;
    private E2eProcess inside;

    private Forwarder(Netns ns, int port) {
        this.ns = ns;
        this.port = port;
    }

    /** Forwards {@code port} (127.0.0.1 in the namespace to 127.0.0.1 on the host), ready when this returns. */
    public static Forwarder start(Netns ns, int port) {
        return new Forwarder(ns, port).restore();
    }

    public int port() {
        return port;
    }

    /** Listening again (a no-op while it is). */
    public synchronized Forwarder restore() {
        if (inside != null) {
            return this;
        }
        Path dir = E2eProcess.tempDir("fwd-" + port);
        Path socket = dir.resolve("fwd.sock");
        outside = E2eProcess.start("socat outside " + ns.name() + ":" + port,
                List.of(SOCAT, "UNIX-LISTEN:" + socket + ",fork,unlink-early", "TCP:127.0.0.1:" + port), dir, List.of());
        outside.awaitReady("listening on " + socket, () -> Files.exists(socket));
        inside = E2eProcess.start("socat inside " + ns.name() + ":" + port,
                ns.command(SOCAT, "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr", "UNIX-CONNECT:" + socket),
                E2eProcess.tempDir("fwd-" + port + "-in"), List.of());
        inside.awaitReady("listening on 127.0.0.1:" + port + " in " + ns.name(), () -> ns.listensTcp(port));
        return this;
    }

    /** Ends both socats and the connections they carry: inside, the port refuses. */
    public synchronized Forwarder cut() {
        if (inside != null) {
            inside.close();
            outside.close();
            inside = null;
            outside = null;
        }
        return this;
    }

    @Override
    public void close() {
        cut();
    }

    @Override
    public String toString() {
        return "Forwarder[" + ns.name() + ":" + port + (inside == null ? ", cut" : "") + "]";
    }
}
