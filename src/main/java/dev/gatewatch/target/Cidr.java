package dev.gatewatch.target;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network. Host bits are masked off, so "10.1.2.3/8" equals "10.0.0.0/8".
 *
 * @param network      4 or 16 bytes
 * @param prefixLength 0-32 for IPv4, 0-128 for IPv6
 */
public record Cidr(byte[] network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network must be 4 or 16 bytes, got " + network.length);
        }
        int max = network.length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0-" + max);
        }
        network = mask(network, prefixLength);
    }

    /**
     * Parses "10.0.0.0/8", "fd00::/8", or a bare address meaning a single host. IPv4 must be a plain
     * dotted quad: odd spellings are fine in URLs we refuse, but not in operator configuration.
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("CIDR is empty");
        }
        String t = text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes;
        if (addr.indexOf(':') >= 0) {
            if (addr.indexOf('%') >= 0) {
                throw new IllegalArgumentException("invalid CIDR '" + text + "': zone ids are not allowed");
            }
            bytes = HostLiteral.parseIpv6(addr);
            if (bytes == null) {
                throw new IllegalArgumentException("invalid CIDR '" + text + "': '" + addr + "' is not an IPv6 address");
            }
        } else {
            bytes = HostLiteral.parseDottedQuad(addr);
            if (bytes == null) {
                throw new IllegalArgumentException(
                        "invalid CIDR '" + text + "': '" + addr + "' is not a dotted-quad IPv4 address");
            }
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length '" + p + "' is not a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException(
                        "invalid CIDR '" + text + "': prefix length " + prefix + " exceeds " + max);
            }
        }
        return new Cidr(bytes, prefix);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    /** False when the families differ: an IPv4 range never matches an IPv6 (even IPv4-mapped) address. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] addr) {
        if (addr.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (addr[i] != network[i]) {
                return false;
            }
        }
        int rem = prefixLength % 8;
        if (rem == 0) {
            return true;
        }
        int m = (0xff << (8 - rem)) & 0xff;
        return (addr[full] & m) == (network[full] & 0xff);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] = (byte) (out[i] & ((0xff << (8 - bitsHere)) & 0xff));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return HostLiteral.format(network) + "/" + prefixLength;
    }
}
