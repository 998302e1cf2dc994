package dev.gatewatch.support.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/** Free loopback ports and TCP reachability checks. Every address must be a 127.x.y.z literal. */
public final class Ports {

    private Ports() {
    }

    /** A TCP port that is free on every one of {@code addresses} right now (e.g. 127.0.0.2 and 127.0.0.3). */
    public static int freeTcpPort(String... addresses) {
        if (addresses.length == 0) {
            addresses = new String[] {"127.0.0.1"};
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket first = new ServerSocket()) {
                first.bind(new InetSocketAddress(loopback(addresses[0]), 0));
                port = first.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind " + addresses[0], e);
            }
            if (tcpFreeOnAll(port, addresses)) {
                return port;
            }
        }
        throw new IllegalStateException("no TCP port free on all of " + String.join(", ", addresses));
    }

    private static boolean tcpFreeOnAll(int port, String[] addresses) {
        for (String address : addresses) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(loopback(address), port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** A UDP port free on {@code address} right now (bind port 0, read it, close). */
    public static int freeUdpPort(String address) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback(address), 0))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind UDP on " + address, e);
        }
    }

    /** A port free on {@code address} for both UDP and TCP right now, as a DNS server binds both. */
    public static int freeUdpAndTcpPort(String address) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freeUdpPort(address);
            if (tcpFreeOnAll(port, new String[] {address})) {
                return port;
            }
        }
        throw new IllegalStateException("no port free for UDP and TCP on " + address);
    }

    /** A TCP port on {@code address} where nothing listens (bound, then closed): connections are refused. */
    public static int deadTcpPort(String address) {
        return freeTcpPort(address);
    }

    /** True when a TCP connection to {@code address:port} is accepted within 200 ms. */
    public static boolean acceptsTcp(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback(address), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Parses a 127.x.y.z literal without any name lookup; anything else is refused. */
    public static InetAddress loopback(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4 || !"127".equals(parts[0])) {
            throw new IllegalArgumentException("not a 127.x.y.z loopback address: " + address);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value;
            try {
                value = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a 127.x.y.z loopback address: " + address, e);
            }
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("not a 127.x.y.z loopback address: " + address);
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
