package dev.gatewatch.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.gatewatch.support.DnsResponder;

/**
 * Whether the harness kept up: per DNS responder its queries and answers and the kernel's drop count for its socket
 * (/proc/net/udp and udp6, the {@code drops} column), and the targets' requests served. A drop is a DNS timeout the
 * checker is blamed for, so a run with drops measures the harness, not Gatewatch.
 */
final class HarnessHealth {

    private HarnessHealth() {
    }

    record Responder(String spec, long queries, long answered, long drops, int receiveBuffer) {
    }

    static List<Responder> responders(List<DnsResponder> responders) throws IOException {
        List<Responder> out = new ArrayList<>();
        for (DnsResponder r : responders) {
            out.add(new Responder(r.spec(), r.queries(), r.answered(), drops(r.address(), r.port()), r.receiveBufferBytes()));
        }
        return out;
    }

    /**
     * The socket's drops: its line in /proc/net/udp (or udp6, where an IPv4 address bound by a dual-stack socket shows
     * as ::ffff:a.b.c.d) by local address:port in hex, the address in host (little-endian) byte order. -1: not found.
     */
    static long drops(String address, int port) throws IOException {
        byte[] a = InetAddress.getByName(address).getAddress();
        String local = String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X", a[3], a[2], a[1], a[0], port);
        long drops = -1;
        for (String file : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 12 && f[1].endsWith(local) && (f[1].length() == local.length() || f[1].contains("FFFF0000" + local))) {
                    drops = Math.max(drops, 0) + Long.parseLong(f[f.length - 1]);
                }
            }
        }
        return drops;
    }
}
