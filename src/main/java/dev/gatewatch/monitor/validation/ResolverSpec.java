package dev.gatewatch.monitor.validation;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DNS resolver a monitor checks through: {@code system} (the host's own resolver), an IP address, or
 * {@code host:port} / {@code ip:port} / {@code [ipv6]:port}.
 *
 * @param host the resolver's address or name; empty for {@code system}
 * @param port its UDP/TCP port (53 unless given)
 */
public record ResolverSpec(String text, Optional<String> host, int port) {

    public static final String SYSTEM = "system";
    // compiled once: every claimed check parses its resolvers
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    public boolean system() {
        return host.isEmpty();
    }

    /** Parses a resolver, throwing IllegalArgumentException on anything else. */
    public static ResolverSpec parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("must be system, an IP address or host:port");
        }
        String text = raw.strip().toLowerCase(Locale.ROOT);
        if (text.equals(SYSTEM)) {
            return new ResolverSpec(SYSTEM, Optional.empty(), 53);
        }
        String host = text;
        int port = 53;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + raw + "' has an unclosed [");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + raw + "' is not [ipv6]:port");
                }
                port = port(rest.substring(1), raw);
            }
            if (!host.contains(":")) {
                throw new IllegalArgumentException("'" + raw + "' has no IPv6 address inside []");
            }
        } else if (text.chars().filter(ch -> ch == ':').count() == 1) {
            int colon = text.indexOf(':');
            host = text.substring(0, colon);
            port = port(text.substring(colon + 1), raw);
        }
        if (host.contains(":")) {
            if (!IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + raw + "' is not a valid IPv6 address");
            }
        } else if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + raw + "' is not an IP address or host name");
        }
        String canonical = host.contains(":") ? (port == 53 ? host : "[" + host + "]:" + port) : (port == 53 ? host : host + ":" + port);
        return new ResolverSpec(canonical, Optional.of(host), port);
    }

    private static int port(String text, String raw) {
        if (!PORT.matcher(text).matches() || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("'" + raw + "' has a bad port (1-65535)");
        }
        return Integer.parseInt(text);
    }
}
