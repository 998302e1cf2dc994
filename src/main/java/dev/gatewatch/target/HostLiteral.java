package dev.gatewatch.target;

import java.math.BigInteger;
import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises IP literals in a URL host, in every spelling that inet_aton, getaddrinfo or a
 * browser (WHATWG URL) would accept, without ever touching DNS.
 */
public final class HostLiteral {

    private HostLiteral() {
    }

    /**
     * Parses a URL host as returned by {@link java.net.URI#getHost()}.
     *
     * @return the address if the host is an IP literal, empty if it is a host name
     * @throws IllegalArgumentException if the host looks numeric but is not a valid address, carries an
     *                                  IPv6 zone id, or contains characters no host name may contain
     */
    public static Optional<InetAddress> parse(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (host.startsWith("[") || host.endsWith("]")) {
            if (!(host.startsWith("[") && host.endsWith("]")) || host.length() < 2) {
                throw new IllegalArgumentException("unbalanced brackets in host '" + host + "'");
            }
            return Optional.of(ipv6(host.substring(1, host.length() - 1)));
        }
        // A colon can never be part of a host name, so an unbracketed one is still an IPv6 literal.
        if (host.indexOf(':') >= 0) {
            return Optional.of(ipv6(host));
        }
        String ascii = host;
        if (!isAscii(host)) {
            // Browsers apply IDNA mapping first, which turns e.g. fullwidth digits into an IPv4 literal.
            try {
                ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid internationalised host '" + host + "'", e);
            }
        }
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (!ok) {
                // Percent-encoding, whitespace etc. are decoded or trimmed by some parsers; refuse rather than guess.
                throw new IllegalArgumentException("host '" + host + "' contains invalid character '" + c + "'");
            }
        }
        return ipv4(ascii).map(HostLiteral::v4);
    }

    /**
     * Canonical text of an address: dotted quad for IPv4, RFC 5952 for IPv6 with IPv4-mapped addresses
     * written as {@code ::ffff:a.b.c.d}.
     */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    static String format(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        if (b.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + b.length);
        }
        if (isV4Mapped(b)) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on ties.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    static boolean isV4Mapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** Strict "a.b.c.d" with decimal parts 0-255 and no leading zeros, as used in config and inside IPv6. */
    static byte[] parseDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || !allDigits(p)) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** RFC 4291 text form (no zone id, no brackets) to 16 bytes, or null if malformed. */
    static byte[] parseIpv6(String text) {
        if (text.isEmpty() || text.indexOf('%') >= 0) {
            return null;
        }
        int dbl = text.indexOf("::");
        if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        if (dbl >= 0) {
            if (!groups(text.substring(0, dbl), head, false) || !groups(text.substring(dbl + 2), tail, true)) {
                return null;
            }
            if (head.size() + tail.size() > 7) {
                return null;
            }
        } else {
            if (!groups(text, head, true) || head.size() != 8) {
                return null;
            }
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            out[2 * i] = (byte) (head.get(i) >> 8);
            out[2 * i + 1] = (byte) (int) head.get(i);
        }
        int offset = 8 - tail.size();
        for (int i = 0; i < tail.size(); i++) {
            out[2 * (offset + i)] = (byte) (tail.get(i) >> 8);
            out[2 * (offset + i) + 1] = (byte) (int) tail.get(i);
        }
        return out;
    }

    /** Splits colon-separated hex groups; the last one may be a dotted quad (counted as two groups). */
    private static boolean groups(String s, List<Integer> out, boolean mayEndInIpv4) {
        if (s.isEmpty()) {
            return true;
        }
        String[] parts = s.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && mayEndInIpv4 && p.indexOf('.') >= 0) {
                byte[] v4 = parseDottedQuad(p);
                if (v4 == null) {
                    return false;
                }
                out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                return true;
            }
            if (p.isEmpty() || p.length() > 4) {
                return false;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = hex(p.charAt(k));
                if (d < 0) {
                    return false;
                }
                v = (v << 4) | d;
            }
            out.add(v);
        }
        return true;
    }

    private static InetAddress ipv6(String text) {
        if (text.indexOf('%') >= 0) {
            throw new IllegalArgumentException("IPv6 zone ids are not allowed");
        }
        byte[] bytes = parseIpv6(text);
        if (bytes == null) {
            throw new IllegalArgumentException("invalid IPv6 literal '" + text + "'");
        }
        try {
            // Inet6Address.getByAddress keeps ::ffff:a.b.c.d as IPv6, so the policy can refuse it as mapped.
            return Inet6Address.getByAddress(null, bytes, (NetworkInterface) null);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress v4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * inet_aton / WHATWG IPv4 parsing. As in browsers, a host whose last label is numeric must be an IPv4
     * address, so "256.1.1.1" or "example.1" are errors rather than names that DNS might resolve anywhere.
     */
    private static Optional<byte[]> ipv4(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.isEmpty()) {
            throw new IllegalArgumentException("host '" + host + "' has no labels");
        }
        String[] labels = h.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                // Only the root may be empty; anything else is malformed for DNS and IPv4 alike.
                throw new IllegalArgumentException("host '" + host + "' has an empty label");
            }
        }
        if (!isNumericLabel(labels[labels.length - 1])) {
            return Optional.empty();
        }
        if (labels.length > 4) {
            throw bad(host, "more than 4 parts");
        }
        BigInteger[] values = new BigInteger[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = number(host, labels[i]);
        }
        for (int i = 0; i < labels.length - 1; i++) {
            if (values[i].compareTo(BigInteger.valueOf(255)) > 0) {
                throw bad(host, "part '" + labels[i] + "' exceeds 255");
            }
        }
        // inet_aton: the last part fills all remaining bytes, so "127.1" is 127.0.0.1.
        int lastBytes = 5 - labels.length;
        BigInteger last = values[labels.length - 1];
        if (last.bitLength() > 8 * lastBytes) {
            throw bad(host, "part '" + labels[labels.length - 1] + "' is too large (max "
                    + ((1L << (8 * lastBytes)) - 1) + ")");
        }
        long value = 0;
        for (int i = 0; i < labels.length - 1; i++) {
            value = (value << 8) | values[i].longValue();
        }
        value = (value << (8 * lastBytes)) | last.longValue();
        return Optional.of(new byte[] {
                (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static boolean isNumericLabel(String label) {
        if (label.length() >= 2 && label.charAt(0) == '0' && (label.charAt(1) == 'x' || label.charAt(1) == 'X')) {
            for (int i = 2; i < label.length(); i++) {
                if (hex(label.charAt(i)) < 0) {
                    return false;
                }
            }
            return true;
        }
        return !label.isEmpty() && allDigits(label);
    }

    private static BigInteger number(String host, String label) {
        if (!isNumericLabel(label)) {
            throw bad(host, "part '" + label + "' is not a number");
        }
        String lower = label.toLowerCase(Locale.ROOT);
        if (lower.startsWith("0x")) {
            // "0x" alone is zero for both inet_aton and WHATWG.
            return lower.length() == 2 ? BigInteger.ZERO : new BigInteger(lower.substring(2), 16);
        }
        if (lower.length() > 1 && lower.charAt(0) == '0') {
            for (int i = 1; i < lower.length(); i++) {
                if (lower.charAt(i) > '7') {
                    throw bad(host, "part '" + label + "' is not valid octal");
                }
            }
            return new BigInteger(lower.substring(1), 8);
        }
        return new BigInteger(lower, 10);
    }

    private static IllegalArgumentException bad(String host, String why) {
        return new IllegalArgumentException("invalid IPv4 literal '" + host + "': " + why);
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
