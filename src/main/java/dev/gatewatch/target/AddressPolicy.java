package dev.gatewatch.target;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Decides whether the monitor may connect to an address. Pure: classify the address a host literal
 * parsed to, or every address DNS returned, right before connecting.
 */
public final class AddressPolicy implements AddressGate {

    /** The only port a resolver on a public address may use; 853 (DNS over TLS) and 5353 (mDNS) are not plain DNS. */
    public static final int DNS_PORT = 53;

    /**
     * One forbidden range. With {@code embeddedIpv4} set, the range is only refused when the IPv4 address
     * it carries is itself refused (IPv4-mapped, NAT64 and 6to4 reach public IPv4 hosts too).
     */
    private record Rule(Cidr range, String label, UnaryOperator<byte[]> embeddedIpv4) {
        Rule(String cidr, String label) {
            this(Cidr.parse(cidr), label, null);
        }
    }

    /**
     * Why an address is refused.
     *
     * @param category the kind of range without any address ("a loopback address"), safe to show for a DNS answer
     * @param detail   the same naming the addresses ("loopback address 127.0.0.1"), for an address the user typed
     */
    public record Refusal(String category, String detail) {
    }

    // The IANA IPv4 and IPv6 Special-Purpose Address Registries, plus multicast and everything outside IPv6's global
    // unicast 2000::/3. First match wins, so narrower ranges come before the ranges that contain them. Globally
    // reachable entries of the registries (AS112, AMT, 64:ff9b::/96) stay allowed; anycast service addresses inside
    // 192.0.0.0/24 and 2001::/23 are refused with their block, as no monitor needs them.
    private static final List<Rule> FORBIDDEN = List.of(
            new Rule("255.255.255.255/32", "broadcast"),
            new Rule("0.0.0.0/8", "unspecified / this-network"),
            new Rule("10.0.0.0/8", "private (RFC 1918)"),
            new Rule("172.16.0.0/12", "private (RFC 1918)"),
            new Rule("192.168.0.0/16", "private (RFC 1918)"),
            new Rule("100.64.0.0/10", "carrier-grade NAT (RFC 6598)"),
            new Rule("127.0.0.0/8", "loopback"),
            new Rule("169.254.0.0/16", "cloud metadata / link-local"),
            new Rule("192.0.0.0/24", "IETF protocol assignment"),
            new Rule("192.0.2.0/24", "documentation (TEST-NET-1)"),
            new Rule("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
            new Rule("198.51.100.0/24", "documentation (TEST-NET-2)"),
            new Rule("203.0.113.0/24", "documentation (TEST-NET-3)"),
            new Rule("198.18.0.0/15", "benchmarking (RFC 2544)"),
            new Rule("224.0.0.0/4", "multicast"),
            new Rule("240.0.0.0/4", "reserved (class E)"),

            new Rule("::/128", "unspecified"),
            new Rule("::1/128", "loopback"),
            new Rule(Cidr.parse("::ffff:0:0/96"), "IPv4-mapped IPv6", b -> Arrays.copyOfRange(b, 12, 16)),
            new Rule("::/96", "IPv4-compatible IPv6"),
            new Rule(Cidr.parse("64:ff9b::/96"), "NAT64", b -> Arrays.copyOfRange(b, 12, 16)),
            new Rule("64:ff9b:1::/48", "local-use NAT64 (RFC 8215)"),
            // Nothing in ::/8 besides the above is routable; refuse the rest (e.g. IPv4-translated ::ffff:0:a.b.c.d).
            new Rule("::/8", "reserved IPv6"),
            new Rule("100::/64", "discard-only"),
            new Rule("2001::/32", "Teredo"),
            new Rule("2001:2::/48", "benchmarking (RFC 5180)"),
            new Rule("2001::/23", "IETF protocol assignment"),
            new Rule("2001:db8::/32", "documentation"),
            new Rule(Cidr.parse("2002::/16"), "6to4", b -> Arrays.copyOfRange(b, 2, 6)),
            new Rule("3fff::/20", "documentation (RFC 9637)"),
            new Rule("5f00::/16", "segment routing (SRv6, RFC 9602)"),
            new Rule("fc00::/7", "unique-local"),
            new Rule("fe80::/10", "link-local"),
            new Rule("fec0::/10", "site-local (deprecated)"),
            new Rule("ff00::/8", "multicast"),
            // Only 2000::/3 is handed out as global unicast; the rest of IPv6 (e.g. 100:0:0:1::/64, RFC 9780) is not.
            new Rule("4000::/2", "reserved IPv6 (outside 2000::/3)"),
            new Rule("8000::/1", "reserved IPv6 (outside 2000::/3)"),
            new Rule("::/3", "reserved IPv6 (outside 2000::/3)"));

    private final List<Cidr> allow;
    private final List<Cidr> extraDeny;

    /**
     * @param allow     ranges always permitted, checked first (e.g. 127.0.0.0/8 in tests). An IPv4 range does
     *                  not permit IPv4-mapped IPv6 addresses; allow ::ffff:0:0/96 (or a part) for that.
     * @param extraDeny ranges refused in addition to the built-in ones; null means none
     */
    public AddressPolicy(List<Cidr> allow, List<Cidr> extraDeny) {
        this.allow = allow == null ? List.of() : List.copyOf(allow);
        this.extraDeny = extraDeny == null ? List.of() : List.copyOf(extraDeny);
    }

    /** Built-in rules only. */
    public static AddressPolicy strict() {
        return new AddressPolicy(List.of(), List.of());
    }

    public List<Cidr> allow() {
        return allow;
    }

    public List<Cidr> extraDeny() {
        return extraDeny;
    }

    /** Empty if the address may be fetched, else a short reason such as "loopback address 127.0.0.1". */
    public Optional<String> refusal(InetAddress address) {
        return classify(address).map(Refusal::detail);
    }

    /** Empty if the address may be fetched, else why not, with and without the address. */
    @Override
    public Optional<Refusal> classify(InetAddress address) {
        return allowListed(address) ? Optional.empty() : denied(address.getAddress());
    }

    /**
     * {@link #classify}, and a resolver on any port but 53 must be allow-listed: otherwise a custom resolver would let
     * a stranger send DNS queries to any UDP/TCP service of a public host (1.1.1.1:22) and read how it answers.
     */
    @Override
    public Optional<Refusal> classifyResolver(InetAddress address, int port) {
        Optional<Refusal> refusal = classify(address);
        if (refusal.isPresent() || port == DNS_PORT || allowListed(address)) {
            return refusal;
        }
        String why = "on port " + port + ": a resolver on a public address must use port " + DNS_PORT
                + " (DNS); other ports only for addresses in gatewatch.targets.allow";
        return Optional.of(new Refusal(why, why));
    }

    /** In gatewatch.targets.allow, so neither the built-in ranges nor the resolver port rule apply. */
    public boolean allowListed(InetAddress address) {
        byte[] bytes = address.getAddress();
        return allow.stream().anyMatch(c -> c.contains(bytes));
    }

    public boolean permits(InetAddress address) {
        return classify(address).isEmpty();
    }

    // The allow list is deliberately not consulted for embedded IPv4: allowing our own 127.0.0.0/8 must not
    // allow a NAT64 gateway's loopback.
    private Optional<Refusal> denied(byte[] bytes) {
        String text = HostLiteral.format(bytes);
        for (Cidr c : extraDeny) {
            if (c.contains(bytes)) {
                return Optional.of(new Refusal("an address denied by configuration",
                        "denied by configuration (" + c + ") address " + text));
            }
        }
        for (Rule rule : FORBIDDEN) {
            if (!rule.range().contains(bytes)) {
                continue;
            }
            String kind = article(rule.label()) + " " + rule.label() + " address";
            if (rule.embeddedIpv4() == null) {
                return Optional.of(new Refusal(kind, rule.label() + " address " + text));
            }
            return denied(rule.embeddedIpv4().apply(bytes)).map(inner -> new Refusal(kind + " embedding " + inner.category(),
                    rule.label() + " address " + text + " embedding " + inner.detail()));
        }
        return Optional.empty();
    }

    private static String article(String word) {
        char c = Character.toLowerCase(word.charAt(0));
        return "aeio".indexOf(c) >= 0 || word.startsWith("unspecified") ? "an" : "a";
    }
}
