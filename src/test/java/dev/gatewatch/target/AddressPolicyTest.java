package dev.gatewatch.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private static final AddressPolicy STRICT = AddressPolicy.strict();

    private static InetAddress literal(String host) {
        return HostLiteral.parse(host).orElseThrow(() -> new AssertionError(host + " is not a literal"));
    }

    /** java.net.URI gives no host for spellings like 0x7f.1, so fall back to the raw authority. */
    private static String hostOf(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
        assertNotNull(host, url);
        return host;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "http://2130706433/                   | loopback address 127.0.0.1",
            "http://0x7f.1/                       | loopback address 127.0.0.1",
            "http://127.1/                        | loopback address 127.0.0.1",
            "http://127.0.1/                      | loopback address 127.0.0.1",
            "http://0177.0.0.1/                   | loopback address 127.0.0.1",
            "http://017700000001/                 | loopback address 127.0.0.1",
            "http://0x7f000001/                   | loopback address 127.0.0.1",
            "http://0X7F.0.0.1/                   | loopback address 127.0.0.1",
            "http://127.0.0.1./                   | loopback address 127.0.0.1",
            "http://127.255.255.254/              | loopback address 127.255.255.254",
            "http://[::1]/                        | loopback address ::1",
            "http://[0:0:0:0:0:0:0:1]/            | loopback address ::1",
            "http://[::ffff:127.0.0.1]/           | IPv4-mapped IPv6 address ::ffff:127.0.0.1 embedding loopback address 127.0.0.1",
            "http://[::ffff:7f00:1]/              | IPv4-mapped IPv6 address ::ffff:127.0.0.1 embedding loopback address 127.0.0.1",
            "http://[0:0:0:0:0:ffff:7f00:1]/      | IPv4-mapped IPv6 address ::ffff:127.0.0.1 embedding loopback address 127.0.0.1",
            "http://[::ffff:169.254.169.254]/     | IPv4-mapped IPv6 address ::ffff:169.254.169.254 embedding cloud metadata / link-local address 169.254.169.254",
            "http://0xa9fea9fe/                   | cloud metadata / link-local address 169.254.169.254",
            "http://169.254.169.254/latest/       | cloud metadata / link-local address 169.254.169.254",
            "http://user@0251.0376.0251.0376/     | cloud metadata / link-local address 169.254.169.254",
    })
    void refusesUrlSpellings(String url, String reason) {
        String host = hostOf(url);
        if (host.contains("@")) {
            host = host.substring(host.indexOf('@') + 1);
        }
        assertEquals(Optional.of(reason), STRICT.refusal(literal(host)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0              | unspecified / this-network address 0.0.0.0",
            "0                    | unspecified / this-network address 0.0.0.0",
            "0.1.2.3              | unspecified / this-network address 0.1.2.3",
            "10.0.0.1             | private (RFC 1918) address 10.0.0.1",
            "10.1.2.3             | private (RFC 1918) address 10.1.2.3",
            "10.255.255.255       | private (RFC 1918) address 10.255.255.255",
            "172.16.0.1           | private (RFC 1918) address 172.16.0.1",
            "172.31.255.255       | private (RFC 1918) address 172.31.255.255",
            "192.168.1.1          | private (RFC 1918) address 192.168.1.1",
            "0xc0a80101           | private (RFC 1918) address 192.168.1.1",
            "100.64.0.1           | carrier-grade NAT (RFC 6598) address 100.64.0.1",
            "100.127.255.255      | carrier-grade NAT (RFC 6598) address 100.127.255.255",
            "127.0.0.1            | loopback address 127.0.0.1",
            "169.254.169.254      | cloud metadata / link-local address 169.254.169.254",
            "169.254.0.1          | cloud metadata / link-local address 169.254.0.1",
            "192.0.0.170          | IETF protocol assignment address 192.0.0.170",
            "192.0.2.1            | documentation (TEST-NET-1) address 192.0.2.1",
            "198.51.100.7         | documentation (TEST-NET-2) address 198.51.100.7",
            "203.0.113.9          | documentation (TEST-NET-3) address 203.0.113.9",
            "198.18.0.1           | benchmarking (RFC 2544) address 198.18.0.1",
            "198.19.255.255       | benchmarking (RFC 2544) address 198.19.255.255",
            "224.0.0.1            | multicast address 224.0.0.1",
            "239.255.255.250      | multicast address 239.255.255.250",
            "240.0.0.1            | reserved (class E) address 240.0.0.1",
            "255.255.255.254      | reserved (class E) address 255.255.255.254",
            "255.255.255.255      | broadcast address 255.255.255.255",
            "4294967295           | broadcast address 255.255.255.255",
            "[::]                 | unspecified address ::",
            "[::1]                | loopback address ::1",
            "[::127.0.0.1]        | IPv4-compatible IPv6 address ::7f00:1",
            "[::8.8.8.8]          | IPv4-compatible IPv6 address ::808:808",
            "[::ffff:10.0.0.1]    | IPv4-mapped IPv6 address ::ffff:10.0.0.1 embedding private (RFC 1918) address 10.0.0.1",
            "[::ffff:0:7f00:1]    | reserved IPv6 address ::ffff:0:7f00:1",
            "[64:ff9b::7f00:1]    | NAT64 address 64:ff9b::7f00:1 embedding loopback address 127.0.0.1",
            "[64:ff9b::127.0.0.1] | NAT64 address 64:ff9b::7f00:1 embedding loopback address 127.0.0.1",
            "[64:ff9b::a9fe:a9fe] | NAT64 address 64:ff9b::a9fe:a9fe embedding cloud metadata / link-local address 169.254.169.254",
            "[64:ff9b::10.0.0.1]  | NAT64 address 64:ff9b::a00:1 embedding private (RFC 1918) address 10.0.0.1",
            "[64:ff9b::]          | NAT64 address 64:ff9b:: embedding unspecified / this-network address 0.0.0.0",
            "[64:ff9b:1::1]       | local-use NAT64 (RFC 8215) address 64:ff9b:1::1",
            "[100::1]             | discard-only address 100::1",
            "[2001:db8::1]        | documentation address 2001:db8::1",
            "[2002:7f00:1::]      | 6to4 address 2002:7f00:1:: embedding loopback address 127.0.0.1",
            "[2002:a9fe:a9fe::1]  | 6to4 address 2002:a9fe:a9fe::1 embedding cloud metadata / link-local address 169.254.169.254",
            "[2002:c0a8:101::]    | 6to4 address 2002:c0a8:101:: embedding private (RFC 1918) address 192.168.1.1",
            "[fc00::1]            | unique-local address fc00::1",
            "[fd00::1]            | unique-local address fd00::1",
            "[fd00:ec2::254]      | unique-local address fd00:ec2::254",
            "[fe80::1]            | link-local address fe80::1",
            "[febf:ffff::1]       | link-local address febf:ffff::1",
            "[fec0::1]            | site-local (deprecated) address fec0::1",
            "[ff02::1]            | multicast address ff02::1",
            "[ff0e::1]            | multicast address ff0e::1",
    })
    void refusesForbiddenAddresses(String host, String reason) {
        assertEquals(Optional.of(reason), STRICT.refusal(literal(host)));
        assertFalse(STRICT.permits(literal(host)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "93.184.216.34", "8.8.8.8", "1.1.1.1", "1.0.0.0", "11.0.0.1", "9.255.255.255",
            "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255", "192.167.255.255", "192.169.0.0",
            "169.253.255.255", "169.255.0.1", "126.255.255.255", "128.0.0.1", "192.0.1.1", "192.0.3.0",
            "198.17.255.255", "198.20.0.0", "198.51.99.255", "203.0.114.0", "223.255.255.255",
            "0x5db8d822", "1.1",
            "[64:ff9b::808:808]", "[64:ff9b::8.8.8.8]", "[2002:808:808::1]", "[2606:4700::1111]",
            "[2001:4860:4860::8888]", "[2001:db9::1]", "[2a00:1450:4001::1]", "[2003::1]", "[::ffff:8.8.8.8]", "[::ffff:93.184.216.34]",
    })
    void permitsPublicAddresses(String host) {
        assertEquals(Optional.empty(), STRICT.refusal(literal(host)));
        assertTrue(STRICT.permits(literal(host)));
    }

    /**
     * The IANA IPv4 and IPv6 Special-Purpose Address Registries block by block (first and last addresses, and the
     * entries inside a block), plus multicast and IPv6 outside 2000::/3, as the category a DNS answer is refused with.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0                                   | an unspecified / this-network address",
            "0.255.255.255                             | an unspecified / this-network address",
            "10.0.0.0                                  | a private (RFC 1918) address",
            "10.255.255.255                            | a private (RFC 1918) address",
            "100.64.0.0                                | a carrier-grade NAT (RFC 6598) address",
            "100.127.255.255                           | a carrier-grade NAT (RFC 6598) address",
            "127.0.0.0                                 | a loopback address",
            "127.255.255.255                           | a loopback address",
            "169.254.0.0                               | a cloud metadata / link-local address",
            "169.254.255.255                           | a cloud metadata / link-local address",
            "172.16.0.0                                | a private (RFC 1918) address",
            "172.31.255.255                            | a private (RFC 1918) address",
            "192.0.0.0                                 | an IETF protocol assignment address",
            "192.0.0.8                                 | an IETF protocol assignment address",
            "192.0.0.9                                 | an IETF protocol assignment address",
            "192.0.0.10                                | an IETF protocol assignment address",
            "192.0.0.170                               | an IETF protocol assignment address",
            "192.0.0.171                               | an IETF protocol assignment address",
            "192.0.0.255                               | an IETF protocol assignment address",
            "192.0.2.0                                 | a documentation (TEST-NET-1) address",
            "192.0.2.255                               | a documentation (TEST-NET-1) address",
            "192.88.99.0                               | a deprecated 6to4 relay anycast (RFC 7526) address",
            "192.88.99.255                             | a deprecated 6to4 relay anycast (RFC 7526) address",
            "192.168.0.0                               | a private (RFC 1918) address",
            "192.168.255.255                           | a private (RFC 1918) address",
            "198.18.0.0                                | a benchmarking (RFC 2544) address",
            "198.19.255.255                            | a benchmarking (RFC 2544) address",
            "198.51.100.0                              | a documentation (TEST-NET-2) address",
            "198.51.100.255                            | a documentation (TEST-NET-2) address",
            "203.0.113.0                               | a documentation (TEST-NET-3) address",
            "203.0.113.255                             | a documentation (TEST-NET-3) address",
            "224.0.0.0                                 | a multicast address",
            "239.255.255.255                           | a multicast address",
            "240.0.0.0                                 | a reserved (class E) address",
            "255.255.255.254                           | a reserved (class E) address",
            "255.255.255.255                           | a broadcast address",
            "[::]                                      | an unspecified address",
            "[::1]                                     | a loopback address",
            "[::ffff:0.0.0.0]                          | an IPv4-mapped IPv6 address embedding an unspecified / this-network address",
            "[::ffff:127.0.0.1]                        | an IPv4-mapped IPv6 address embedding a loopback address",
            "[::ffff:192.168.0.1]                      | an IPv4-mapped IPv6 address embedding a private (RFC 1918) address",
            "[::ffff:100.64.0.1]                       | an IPv4-mapped IPv6 address embedding a carrier-grade NAT (RFC 6598) address",
            "[::ffff:224.0.0.1]                        | an IPv4-mapped IPv6 address embedding a multicast address",
            "[::ffff:255.255.255.255]                  | an IPv4-mapped IPv6 address embedding a broadcast address",
            "[::2]                                     | an IPv4-compatible IPv6 address",
            "[::8.8.8.8]                               | an IPv4-compatible IPv6 address",
            "[64:ff9b::]                               | a NAT64 address embedding an unspecified / this-network address",
            "[64:ff9b::7f00:1]                         | a NAT64 address embedding a loopback address",
            "[64:ff9b::a9fe:a9fe]                      | a NAT64 address embedding a cloud metadata / link-local address",
            "[64:ff9b::c000:201]                       | a NAT64 address embedding a documentation (TEST-NET-1) address",
            "[64:ff9b::f000:1]                         | a NAT64 address embedding a reserved (class E) address",
            "[64:ff9b:1::]                             | a local-use NAT64 (RFC 8215) address",
            "[64:ff9b:1:ffff:ffff:ffff:ffff:ffff]      | a local-use NAT64 (RFC 8215) address",
            "[64:ff9b::1:0:0:0]                        | a reserved IPv6 address",
            "[100::]                                   | a discard-only address",
            "[100::ffff:ffff:ffff:ffff]                | a discard-only address",
            "[100:0:0:1::1]                            | a reserved IPv6 (outside 2000::/3) address",
            "[2001::]                                  | a Teredo address",
            "[2001:0:4136:e378:8000:63bf:3fff:fdd2]    | a Teredo address",
            "[2001:0:ffff:ffff:ffff:ffff:ffff:ffff]    | a Teredo address",
            "[2001:1::1]                               | an IETF protocol assignment address",
            "[2001:1::2]                               | an IETF protocol assignment address",
            "[2001:2::]                                | a benchmarking (RFC 5180) address",
            "[2001:2:0:ffff::1]                        | a benchmarking (RFC 5180) address",
            "[2001:2:1::]                              | an IETF protocol assignment address",
            "[2001:3::1]                               | an IETF protocol assignment address",
            "[2001:4:112::1]                           | an IETF protocol assignment address",
            "[2001:10::1]                              | an IETF protocol assignment address",
            "[2001:20::1]                              | an IETF protocol assignment address",
            "[2001:30::1]                              | an IETF protocol assignment address",
            "[2001:1ff:ffff::1]                        | an IETF protocol assignment address",
            "[2001:db8::]                              | a documentation address",
            "[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]  | a documentation address",
            "[2002::]                                  | a 6to4 address embedding an unspecified / this-network address",
            "[2002:a00:1::1]                           | a 6to4 address embedding a private (RFC 1918) address",
            "[2002:6440:1::]                           | a 6to4 address embedding a carrier-grade NAT (RFC 6598) address",
            "[2002:e000:1::]                           | a 6to4 address embedding a multicast address",
            "[3fff::]                                  | a documentation (RFC 9637) address",
            "[3fff:fff:ffff::1]                        | a documentation (RFC 9637) address",
            "[5f00::]                                  | a segment routing (SRv6, RFC 9602) address",
            "[5f00:ffff::1]                            | a segment routing (SRv6, RFC 9602) address",
            "[fc00::]                                  | a unique-local address",
            "[fdff:ffff::1]                            | a unique-local address",
            "[fe80::]                                  | a link-local address",
            "[febf:ffff::1]                            | a link-local address",
            "[fec0::]                                  | a site-local (deprecated) address",
            "[feff:ffff::1]                            | a site-local (deprecated) address",
            "[ff00::]                                  | a multicast address",
            "[ff02::1:ff00:1]                          | a multicast address",
            "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff] | a multicast address",
            "[1000::1]                                 | a reserved IPv6 (outside 2000::/3) address",
            "[1fff:ffff::1]                            | a reserved IPv6 (outside 2000::/3) address",
            "[4000::1]                                 | a reserved IPv6 (outside 2000::/3) address",
            "[8000::1]                                 | a reserved IPv6 (outside 2000::/3) address",
            "[e000::1]                                 | a reserved IPv6 (outside 2000::/3) address"
    })
    void specialPurposeRegistriesAreRefusedByCategory(String host, String category) {
        Optional<AddressPolicy.Refusal> refusal = STRICT.classify(literal(host));
        assertEquals(Optional.of(category), refusal.map(AddressPolicy.Refusal::category));
        String address = HostLiteral.format(literal(host));
        assertFalse(refusal.get().category().contains(address), "the category never names the address");
        assertTrue(refusal.get().detail().contains(address), refusal.get().detail());
    }

    /** Just outside each block, the registries' globally reachable entries, and mapped or embedded public IPv4. */
    @ParameterizedTest
    @ValueSource(strings = {
            "1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
            "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "191.255.255.255",
            "192.0.1.0", "192.0.3.0", "192.31.196.1", "192.52.193.1", "192.88.98.255", "192.88.100.0",
            "192.167.255.255", "192.169.0.0", "192.175.48.1", "198.17.255.255", "198.20.0.0", "198.51.99.255",
            "198.51.101.0", "203.0.112.255", "203.0.114.0", "223.255.255.255", "[::ffff:1.1.1.1]", "[64:ff9b::101:101]",
            "[64:ff9b::8.8.4.4]", "[2002:101:101::1]", "[2001:200::1]", "[2001:db7:ffff::1]", "[2001:db9::]", "[2000::1]",
            "[2003::]", "[2606:4700:4700::1111]", "[2620:4f:8000::1]", "[3ffe:ffff::1]", "[3fff:1000::1]", "[2a00:1450:4001:82b::200e]"
    })
    void neighboursOfTheRegistriesArePermitted(String host) {
        assertEquals(Optional.empty(), STRICT.classify(literal(host)));
    }

    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "1.1.1.1                  | 53   | ",
            "1.1.1.1                  | 22   | on port 22: a resolver on a public address must use port 53 (DNS); other ports only for addresses in gatewatch.targets.allow",
            "1.1.1.1                  | 853  | on port 853: a resolver on a public address must use port 53 (DNS); other ports only for addresses in gatewatch.targets.allow",
            "[2606:4700:4700::1111]   | 5353 | on port 5353: a resolver on a public address must use port 53 (DNS); other ports only for addresses in gatewatch.targets.allow",
            "127.0.0.1                | 5353 | ",
            "127.0.0.53               | 53   | ",
            "127.0.0.200              | 5353 | a loopback address",
            "10.0.0.53                | 53   | a private (RFC 1918) address",
    })
    void resolversOnPublicAddressesUseOnlyPort53(String host, int port, String category) {
        AddressPolicy loopbackAllowed = new AddressPolicy(List.of(Cidr.parse("127.0.0.0/25")), List.of());
        assertEquals(Optional.ofNullable(category),
                loopbackAllowed.classifyResolver(literal(host), port).map(AddressPolicy.Refusal::category));
    }

    static Stream<Arguments> configuredPolicies() {
        AddressPolicy loopbackAllowed = new AddressPolicy(List.of(Cidr.parse("127.0.0.0/8")), List.of());
        AddressPolicy mappedAllowed = new AddressPolicy(
                List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::ffff:127.0.0.0/104")), List.of());
        AddressPolicy v6LoopbackAllowed = new AddressPolicy(List.of(Cidr.parse("::1")), null);
        AddressPolicy exampleDenied = new AddressPolicy(List.of(), List.of(Cidr.parse("93.184.216.0/24")));
        AddressPolicy allowBeatsDeny = new AddressPolicy(
                List.of(Cidr.parse("10.1.0.0/16")), List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2606:4700::/32")));
        AddressPolicy nat64Allowed = new AddressPolicy(List.of(Cidr.parse("64:ff9b::/96")), null);
        return Stream.of(
                Arguments.of("allow 127/8", loopbackAllowed, "127.0.0.5", null),
                Arguments.of("allow 127/8", loopbackAllowed, "127.0.0.1", null),
                Arguments.of("allow 127/8", loopbackAllowed, "0x7f.1", null),
                Arguments.of("allow 127/8", loopbackAllowed, "127.255.255.255", null),
                Arguments.of("allow 127/8", loopbackAllowed, "10.0.0.1", "private (RFC 1918) address 10.0.0.1"),
                Arguments.of("allow 127/8", loopbackAllowed, "[::1]", "loopback address ::1"),
                Arguments.of("allow 127/8", loopbackAllowed, "169.254.169.254",
                        "cloud metadata / link-local address 169.254.169.254"),
                Arguments.of("allow 127/8", loopbackAllowed, "[::ffff:127.0.0.5]",
                        "IPv4-mapped IPv6 address ::ffff:127.0.0.5 embedding loopback address 127.0.0.5"),
                Arguments.of("allow 127/8", loopbackAllowed, "[64:ff9b::7f00:5]",
                        "NAT64 address 64:ff9b::7f00:5 embedding loopback address 127.0.0.5"),
                Arguments.of("allow 127/8", loopbackAllowed, "[2002:7f00:5::]",
                        "6to4 address 2002:7f00:5:: embedding loopback address 127.0.0.5"),
                Arguments.of("allow mapped 127/8", mappedAllowed, "[::ffff:127.0.0.5]", null),
                Arguments.of("allow mapped 127/8", mappedAllowed, "[::ffff:10.0.0.1]",
                        "IPv4-mapped IPv6 address ::ffff:10.0.0.1 embedding private (RFC 1918) address 10.0.0.1"),
                Arguments.of("allow ::1", v6LoopbackAllowed, "[::1]", null),
                Arguments.of("allow ::1", v6LoopbackAllowed, "127.0.0.1", "loopback address 127.0.0.1"),
                Arguments.of("deny 93.184.216/24", exampleDenied, "93.184.216.34",
                        "denied by configuration (93.184.216.0/24) address 93.184.216.34"),
                Arguments.of("deny 93.184.216/24", exampleDenied, "0x5db8d822",
                        "denied by configuration (93.184.216.0/24) address 93.184.216.34"),
                Arguments.of("deny 93.184.216/24", exampleDenied, "93.184.217.1", null),
                Arguments.of("deny 93.184.216/24", exampleDenied, "[64:ff9b::5db8:d822]",
                        "NAT64 address 64:ff9b::5db8:d822 embedding denied by configuration (93.184.216.0/24)"
                                + " address 93.184.216.34"),
                Arguments.of("deny 93.184.216/24", exampleDenied, "127.0.0.1", "loopback address 127.0.0.1"),
                Arguments.of("allow beats deny", allowBeatsDeny, "10.1.2.3", null),
                Arguments.of("allow beats deny", allowBeatsDeny, "10.2.0.1",
                        "denied by configuration (10.0.0.0/8) address 10.2.0.1"),
                Arguments.of("allow beats deny", allowBeatsDeny, "[2606:4700::1111]",
                        "denied by configuration (2606:4700::/32) address 2606:4700::1111"),
                Arguments.of("allow NAT64", nat64Allowed, "[64:ff9b::7f00:1]", null));
    }

    @ParameterizedTest(name = "{0}: {2} -> {3}")
    @MethodSource("configuredPolicies")
    void allowAndExtraDenyLists(String name, AddressPolicy policy, String host, String reason) {
        assertEquals(Optional.ofNullable(reason), policy.refusal(literal(host)));
    }

    @Test
    void inet4AddressFromResolverIsClassifiedAsIpv4() throws Exception {
        // What a resolver hands back: plain Inet4Address, classified by the IPv4 rules.
        InetAddress resolved = InetAddress.getByAddress("evil.example", new byte[] {127, 0, 0, 1});
        assertEquals(Optional.of("loopback address 127.0.0.1"), STRICT.refusal(resolved));
    }

    @Test
    void listsAreCopied() {
        List<Cidr> allow = new java.util.ArrayList<>(List.of(Cidr.parse("127.0.0.0/8")));
        AddressPolicy policy = new AddressPolicy(allow, null);
        allow.clear();
        assertEquals(Optional.empty(), policy.refusal(literal("127.0.0.1")));
        assertEquals(List.of(Cidr.parse("127.0.0.0/8")), policy.allow());
        assertEquals(List.of(), policy.extraDeny());
        assertThrows(UnsupportedOperationException.class, () -> policy.allow().add(Cidr.parse("::/0")));
    }
}
