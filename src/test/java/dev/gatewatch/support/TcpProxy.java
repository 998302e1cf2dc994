package dev.gatewatch.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to a real server that a test can cut and restore, to make the server briefly unreachable
 * without stopping it.
 */
public final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean down;
    private volatile int port;

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listen();
    }

    public int port() {
        return port;
    }

    /**
     * A data source reaching the PostgreSQL server of {@code jdbcUrl} through this relay (no pool: every connection is
     * opened through it), with short timeouts so that a cut shows at once.
     */
    public org.postgresql.ds.PGSimpleDataSource dataSource(String jdbcUrl, String user, String password) {
        var ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(jdbcUrl.replaceFirst(":\\d+/", ":" + port + "/"));
        ds.setUser(user);
        ds.setPassword(password);
        ds.setConnectTimeout(2);
        ds.setSocketTimeout(5);
        return ds;
    }

    /**
     * Drops every relayed connection and hangs up on new ones. The port stays bound, so nothing else can take it
     * before {@link #restore()}.
     */
    public synchronized void cut() throws IOException {
        down = true;
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    /** Relays connections again. */
    public synchronized void restore() {
        down = false;
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }

    private void listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = s;
        port = s.getLocalPort();
        Thread accept = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    if (down) {
                        client.close();
                        continue;
                    }
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    return;
                }
            }
        }, "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // either side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }
}
