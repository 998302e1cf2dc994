package dev.gatewatch.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny authoritative UDP DNS server on a loopback address, answering only what a test configured.
 * Unknown names get NXDOMAIN. Answers can be changed while a test runs.
 * <p>
 * The socket asks for a large receive buffer and a responder may serve it with several threads, so that a benchmark's
 * burst of queries is answered rather than dropped by the kernel (which would show up as DNS timeouts of the checker).
 */
public final class DnsResponder implements AutoCloseable {

    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;
    private static final int CLASS_IN = 1;
    private static final int RCODE_NOERROR = 0;
    private static final int RCODE_SERVFAIL = 2;
    private static final int RCODE_NXDOMAIN = 3;
    // Short TTL so a resolver cache never hides a mid-test change for long.
    private static final int TTL_SECONDS = 1;
    // Capped by net.core.rmem_max; what the kernel granted is receiveBufferBytes().
    private static final int RECEIVE_BUFFER_BYTES = 8 << 20;

    private enum Kind { ANSWER, NXDOMAIN, SERVFAIL, DROP }

    /** What to do for one name; immutable so lookups need no locking. */
    private record Rule(Kind kind, List<byte[]> v4, List<byte[]> v6) {
        static final Rule NXDOMAIN = new Rule(Kind.NXDOMAIN, List.of(), List.of());
        static final Rule SERVFAIL = new Rule(Kind.SERVFAIL, List.of(), List.of());
        static final Rule DROP = new Rule(Kind.DROP, List.of(), List.of());
        static final Rule EMPTY = new Rule(Kind.ANSWER, List.of(), List.of());
    }

    private final DatagramSocket socket;
    private final String address;
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perName = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();
    private final List<Thread> threads;

    private DnsResponder(DatagramSocket socket, String address, int threadCount) {
        this.socket = socket;
        this.address = address;
        this.threads = java.util.stream.IntStream.range(0, threadCount).mapToObj(i -> {
            Thread t = new Thread(this::serve, "dns-responder-" + address + ":" + socket.getLocalPort() + "-" + i);
            t.setDaemon(true);
            return t;
        }).toList();
    }

    /** Binds an ephemeral UDP port on {@code bindIp} (any 127.x.y.z works on Linux) and starts answering. */
    public static DnsResponder start(String bindIp) {
        return start(bindIp, 1);
    }

    /** As {@link #start(String)}, answering with {@code threads} threads (each receives and answers on its own). */
    public static DnsResponder start(String bindIp, int threads) {
        try {
            DatagramSocket socket = new DatagramSocket(null);
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindIp), 0));
            DnsResponder responder = new DnsResponder(socket, bindIp, Math.max(1, threads));
            responder.threads.forEach(Thread::start);
            return responder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind DNS responder on " + bindIp, e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String address() {
        return address;
    }

    /** "ip:port", the way a monitor names its resolver. */
    public String spec() {
        return address + ":" + port();
    }

    /** A records (TTL 1); keeps AAAA records set by {@link #answerV6}, otherwise AAAA queries get NOERROR and no data. */
    public DnsResponder answer(String name, String... ipv4s) {
        List<byte[]> v4 = parse(ipv4s, 4);
        rules.compute(normalize(name), (k, old) -> new Rule(Kind.ANSWER, v4, answering(old).v6()));
        return this;
    }

    /** AAAA records (TTL 1); keeps A records set by {@link #answer}. */
    public DnsResponder answerV6(String name, String... ipv6s) {
        List<byte[]> v6 = parse(ipv6s, 16);
        rules.compute(normalize(name), (k, old) -> new Rule(Kind.ANSWER, answering(old).v4(), v6));
        return this;
    }

    public DnsResponder nxdomain(String name) {
        rules.put(normalize(name), Rule.NXDOMAIN);
        return this;
    }

    public DnsResponder servfail(String name) {
        rules.put(normalize(name), Rule.SERVFAIL);
        return this;
    }

    /** Never answers this name, so the client runs into its timeout. */
    public DnsResponder drop(String name) {
        rules.put(normalize(name), Rule.DROP);
        return this;
    }

    /** NOERROR with zero answers for both A and AAAA (the name exists but has no address). */
    public DnsResponder noAddress(String name) {
        rules.put(normalize(name), Rule.EMPTY);
        return this;
    }

    /** Forgets the configuration of one name (it answers NXDOMAIN again). */
    public DnsResponder forget(String name) {
        rules.remove(normalize(name));
        return this;
    }

    /** Queries received (well-formed ones, including dropped ones). */
    public int queries() {
        return total.get();
    }

    /** Replies sent. */
    public long answered() {
        return answered.get();
    }

    /** The socket's receive buffer as the kernel granted it (Linux reports twice what it allows for data). */
    public int receiveBufferBytes() {
        try {
            return socket.getReceiveBufferSize();
        } catch (SocketException e) {
            return -1;
        }
    }

    public int queries(String name) {
        AtomicInteger n = perName.get(normalize(name));
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        socket.close();
        try {
            for (Thread t : threads) {
                t.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Rule answering(Rule old) {
        return old == null || old.kind() != Kind.ANSWER ? Rule.EMPTY : old;
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        while (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }

    private static List<byte[]> parse(String[] ips, int length) {
        return java.util.Arrays.stream(ips).map(ip -> {
            try {
                byte[] b = InetAddress.getByName(ip).getAddress();
                if (b.length != length) {
                    throw new IllegalArgumentException("not an IPv" + (length == 4 ? 4 : 6) + " literal: " + ip);
                }
                return b;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP literal: " + ip, e);
            }
        }).toList();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                continue;
            }
            try {
                byte[] reply = handle(buf, packet.getLength());
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                    answered.incrementAndGet();
                }
            } catch (RuntimeException | IOException e) {
                // Malformed input or a send failure must never stop the server.
            }
        }
    }

    /** Returns the response bytes, or null to stay silent (malformed packet or dropped name). */
    private byte[] handle(byte[] msg, int len) {
        if (len < 12) {
            return null;
        }
        int flags = u16(msg, 2);
        boolean isResponse = (flags & 0x8000) != 0;
        int opcode = (flags >> 11) & 0xF;
        int qdcount = u16(msg, 4);
        if (isResponse || opcode != 0 || qdcount == 0) {
            return null;
        }
        // First question only; names must be uncompressed (a question is the first name in the message).
        StringBuilder name = new StringBuilder();
        int pos = 12;
        while (true) {
            if (pos >= len) {
                return null;
            }
            int labelLen = msg[pos] & 0xFF;
            pos++;
            if (labelLen == 0) {
                break;
            }
            if ((labelLen & 0xC0) != 0 || pos + labelLen > len || name.length() + labelLen > 254) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(msg, pos, labelLen, java.nio.charset.StandardCharsets.ISO_8859_1));
            pos += labelLen;
        }
        if (pos + 4 > len) {
            return null;
        }
        int qtype = u16(msg, pos);
        int qclass = u16(msg, pos + 2);
        int questionEnd = pos + 4;

        String key = normalize(name.toString());
        total.incrementAndGet();
        perName.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();

        Rule rule = rules.getOrDefault(key, Rule.NXDOMAIN);
        if (rule.kind() == Kind.DROP) {
            return null;
        }
        int rcode = switch (rule.kind()) {
            case NXDOMAIN -> RCODE_NXDOMAIN;
            case SERVFAIL -> RCODE_SERVFAIL;
            default -> RCODE_NOERROR;
        };
        List<byte[]> records = List.of();
        if (rule.kind() == Kind.ANSWER && qclass == CLASS_IN) {
            if (qtype == TYPE_A) {
                records = rule.v4();
            } else if (qtype == TYPE_AAAA) {
                records = rule.v6();
            }
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.write(msg, 0, 2); // same id
        int rd = flags & 0x0100;
        writeU16(out, 0x8000 | 0x0400 | rd | rcode); // QR, AA, RD echoed, rcode
        writeU16(out, 1); // echo only the question we answer
        writeU16(out, records.size());
        writeU16(out, 0);
        writeU16(out, 0);
        out.write(msg, 12, questionEnd - 12);
        for (byte[] rdata : records) {
            writeU16(out, 0xC00C); // pointer to the question name at offset 12
            writeU16(out, qtype);
            writeU16(out, CLASS_IN);
            writeU16(out, TTL_SECONDS >>> 16);
            writeU16(out, TTL_SECONDS & 0xFFFF);
            writeU16(out, rdata.length);
            out.write(rdata, 0, rdata.length);
        }
        return out.toByteArray();
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    private static void writeU16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xFF);
        out.write(v & 0xFF);
    }
}
