package dev.gatewatch.support.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A real dnsmasq ({@code /usr/sbin/dnsmasq}, Debian's dnsmasq-base) as a DNS resolver on 127.0.0.1 and a free
 * UDP port, answering only the names it was given ({@code --address=/name/ip}, which also covers their
 * subdomains). It reads no config file, no /etc/hosts and no /etc/resolv.conf and has no upstream server, so it
 * never sends a query anywhere. Several can run at once, each on its own port. Its query log is in its temp dir.
 */
public final class Dnsmasq implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/dnsmasq";
    public static final String LISTEN_ADDRESS = "127.0.0.1";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");

    private final E2eProcess process;
    private final int port;
    private final Map<String, String> names;

    private Dnsmasq(E2eProcess process, int port, Map<String, String> names) {
        this.process = process;
        this.port = port;
        this.names = names;
    }

    /**
     * Starts dnsmasq answering each {@code name → IPv4} of {@code names}, and waits (10 s at most) until it answers
     * an A query.
     */
    public static Dnsmasq start(Map<String, String> names) {
        LinkedHashMap<String, String> copy = checked(names);
        // A free port can be taken by another process before dnsmasq binds it: try another one then.
        for (int attempt = 1; ; attempt++) {
            try {
                return launch(copy, Ports.freeUdpAndTcpPort(LISTEN_ADDRESS));
            } catch (IllegalStateException e) {
                if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    /** The same on a port chosen before (one the app under test was configured with). */
    public static Dnsmasq startOn(int port, Map<String, String> names) {
        return launch(checked(names), port);
    }

    private static LinkedHashMap<String, String> checked(Map<String, String> names) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        names.forEach((name, ip) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("host name " + name);
            }
            if (!IPV4.matcher(ip).matches()) {
                throw new IllegalArgumentException("not an IPv4 literal for " + name + ": " + ip);
            }
            copy.put(name, ip);
        });
        return copy;
    }

    private static Dnsmasq launch(Map<String, String> copy, int port) {
        Path dir = E2eProcess.tempDir("dnsmasq");
        Path log = dir.resolve("dnsmasq.log");
        List<String> command = new ArrayList<>(List.of(BINARY,
                "--keep-in-foreground",
                "--no-resolv",
                "--no-hosts",
                "--no-poll",
                "--conf-file=/dev/null",
                "--bind-interfaces",
                "--listen-address=" + LISTEN_ADDRESS,
                "--port=" + port,
                "--pid-file=" + dir.resolve("dnsmasq.pid"),
                "--log-facility=" + log,
                "--log-queries"));
        if (E2eProcess.runningAsRoot()) {
            // otherwise dnsmasq drops to a user (nobody/dnsmasq) that may not exist or cannot write the log
            command.add("--user=root");
        }
        copy.forEach((name, ip) -> command.add("--address=/" + name + "/" + ip));
        E2eProcess process = E2eProcess.start("dnsmasq", command, dir, List.of(log));
        String probe = copy.isEmpty() ? null : copy.keySet().iterator().next();
        InetSocketAddress server = new InetSocketAddress(Ports.loopback(LISTEN_ADDRESS), port);
        process.awaitReady("answering DNS on " + LISTEN_ADDRESS + ":" + port, () -> {
            try {
                Answer answer = query(server, probe == null ? "ready.invalid" : probe, 200);
                return probe == null || !answer.addresses().isEmpty();
            } catch (IOException notYet) {
                return false;
            }
        });
        return new Dnsmasq(process, port, Map.copyOf(copy));
    }

    public int port() {
        return port;
    }

    /** "127.0.0.1:PORT", the way a monitor names its resolver. */
    public String spec() {
        return LISTEN_ADDRESS + ":" + port;
    }

    public Map<String, String> names() {
        return names;
    }

    public Path dir() {
        return process.dir();
    }

    public long pid() {
        return process.pid();
    }

    /** dnsmasq's log so far, one line per query with --log-queries. */
    public String log() {
        return E2eProcess.read(process.dir().resolve("dnsmasq.log"));
    }

    /** Asks this dnsmasq for {@code host}'s A record. */
    public String lookupA(String host) {
        return lookupA(spec(), host);
    }

    /**
     * Asks the DNS server at {@code serverSpec} ("127.x.y.z:port") for {@code host}'s A record over UDP, with a
     * hand-built query (never the JDK resolver, which would ask the system's name server). Returns the first IPv4
     * address answered, or null when the answer has none (NXDOMAIN, REFUSED, no data). Fails when no answer comes
     * within 3 tries of 1 s.
     */
    public static String lookupA(String serverSpec, String host) {
        int colon = serverSpec.lastIndexOf(':');
        InetSocketAddress server = new InetSocketAddress(Ports.loopback(serverSpec.substring(0, colon)),
                Integer.parseInt(serverSpec.substring(colon + 1)));
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                List<String> addresses = query(server, host, 1000).addresses();
                return addresses.isEmpty() ? null : addresses.get(0);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("no DNS answer from " + serverSpec + " for " + host, last);
    }

    /** A parsed answer: the response code and the IPv4 addresses of its A records. */
    public record Answer(int rcode, List<String> addresses) {
    }

    /** One A query, one answer (or a timeout). */
    public static Answer query(InetSocketAddress server, String host, int timeoutMillis) throws IOException {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] request = buildQuery(id, host);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Ports.loopback("127.0.0.1"), 0))) {
            socket.setSoTimeout(timeoutMillis);
            socket.send(new DatagramPacket(request, request.length, server));
            byte[] buffer = new byte[1500];
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                if (packet.getLength() >= 12 && u16(buffer, 0) == id && (buffer[2] & 0x80) != 0) {
                    return parse(buffer, packet.getLength());
                }
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("no matching answer");
                }
            }
        }
    }

    static byte[] buildQuery(int id, String host) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id >> 8);
        out.write(id);
        out.write(0x01); // RD
        out.write(0x00);
        out.write(0);
        out.write(1); // QDCOUNT
        for (int i = 0; i < 6; i++) {
            out.write(0); // ANCOUNT, NSCOUNT, ARCOUNT
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("bad host name " + host);
            }
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        out.write(0);
        out.write(1); // QTYPE A
        out.write(0);
        out.write(1); // QCLASS IN
        return out.toByteArray();
    }

    static Answer parse(byte[] b, int length) throws IOException {
        int rcode = b[3] & 0x0f;
        int questions = u16(b, 4);
        int answers = u16(b, 6);
        int pos = 12;
        for (int i = 0; i < questions; i++) {
            pos = skipName(b, pos, length) + 4;
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < answers; i++) {
            pos = skipName(b, pos, length);
            if (pos + 10 > length) {
                throw new IOException("truncated DNS answer");
            }
            int type = u16(b, pos);
            int klass = u16(b, pos + 2);
            int rdLength = u16(b, pos + 8);
            pos += 10;
            if (pos + rdLength > length) {
                throw new IOException("truncated DNS answer");
            }
            if (type == 1 && klass == 1 && rdLength == 4) {
                addresses.add((b[pos] & 0xff) + "." + (b[pos + 1] & 0xff) + "." + (b[pos + 2] & 0xff) + "."
                        + (b[pos + 3] & 0xff));
            }
            pos += rdLength;
        }
        return new Answer(rcode, List.copyOf(addresses));
    }

    private static int skipName(byte[] b, int pos, int length) throws IOException {
        while (true) {
            if (pos >= length) {
                throw new IOException("truncated DNS name");
            }
            int len = b[pos] & 0xff;
            if (len == 0) {
                return pos + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                return pos + 2; // compression pointer ends the name
            }
            pos += 1 + len;
        }
    }

    private static int u16(byte[] b, int pos) {
        return ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "Dnsmasq[" + spec() + ", " + names + ", " + process + "]";
    }
}
