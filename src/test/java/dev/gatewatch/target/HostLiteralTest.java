package dev.gatewatch.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostLiteralTest {

    /** Expected bytes are raw hex so the test does not depend on any address parser or formatter. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // dotted decimal and inet_aton short forms
            "127.0.0.1,              7f000001",
            "127.1,                  7f000001",
            "127.0.1,                7f000001",
            "2130706433,             7f000001",
            "1.2.3.4,                01020304",
            "1.2.772,                01020304",
            "1.131844,               01020304",
            "0,                      00000000",
            "0.0.0.0,                00000000",
            "255.255.255.255,        ffffffff",
            "4294967295,             ffffffff",
            "10.0.0.1,               0a000001",
            // hex
            "0x7f.1,                 7f000001",
            "0x7f000001,             7f000001",
            "0X7F.0.0.1,             7f000001",
            "0x7F.0x0.0x0.0x1,       7f000001",
            "0xffffffff,             ffffffff",
            "0x,                     00000000",
            "0x0000000000000007f.1,  7f000001",
            "0xa9.0xfe.0xa9fe,       a9fea9fe",
            // octal
            "0177.0.0.1,             7f000001",
            "017700000001,           7f000001",
            "0251.0376.0251.0376,    a9fea9fe",
            "000000000177.1,         7f000001",
            "00,                     00000000",
            // mixed
            "0177.0x0.1,             7f000001",
            "0x7f.0.00.01,           7f000001",
            "169.0376.0xa9fe,        a9fea9fe",
            // trailing dot (root label)
            "127.0.0.1.,             7f000001",
            "0x7f.1.,                7f000001",
            "2130706433.,            7f000001",
    })
    void ipv4Spellings(String host, String hex) {
        InetAddress a = HostLiteral.parse(host).orElseThrow();
        assertInstanceOf(Inet4Address.class, a);
        assertEquals(hex, HexFormat.of().formatHex(a.getAddress()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'\uff11\uff12\uff17.\uff10.\uff10.\uff11', 7f000001",  // fullwidth digits
            "'127\u30020\u30020\u30021',                  7f000001",  // ideographic full stops
            "'127.0.0.1\u00ad',                           7f000001",  // soft hyphen is mapped away
    })
    void internationalisedSpellingsOfIpv4(String host, String hex) {
        InetAddress a = HostLiteral.parse(host).orElseThrow();
        assertEquals(hex, HexFormat.of().formatHex(a.getAddress()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "[::1],                          00000000000000000000000000000001",
            "[0:0:0:0:0:0:0:1],              00000000000000000000000000000001",
            "[0000:0000:0000:0000:0000:0000:0000:0001], 00000000000000000000000000000001",
            "::1,                            00000000000000000000000000000001",
            "[::],                           00000000000000000000000000000000",
            "[::ffff:127.0.0.1],             00000000000000000000ffff7f000001",
            "[0:0:0:0:0:ffff:7f00:1],        00000000000000000000ffff7f000001",
            "[::ffff:7f00:1],                00000000000000000000ffff7f000001",
            "[::FFFF:7F00:1],                00000000000000000000ffff7f000001",
            "[0:0:0:0:0:ffff:127.0.0.1],     00000000000000000000ffff7f000001",
            "[::127.0.0.1],                  0000000000000000000000007f000001",
            "[fe80::1],                      fe800000000000000000000000000001",
            "[fd00::1],                      fd000000000000000000000000000001",
            "[64:ff9b::7f00:1],              0064ff9b00000000000000007f000001",
            "[64:ff9b::127.0.0.1],           0064ff9b00000000000000007f000001",
            "[2002:7f00:1::],                20027f00000100000000000000000000",
            "[2606:4700::1111],              26064700000000000000000000001111",
            "[1:2:3:4:5:6:7:8],              00010002000300040005000600070008",
            "[1::],                          00010000000000000000000000000000",
            "[1:2:3:4:5:6:7::],              00010002000300040005000600070000",
            "[::2:3:4:5:6:7:8],              00000002000300040005000600070008",
            "[1:2:3:4:5:6:1.2.3.4],          00010002000300040005000601020304",
    })
    void ipv6Literals(String host, String hex) {
        InetAddress a = HostLiteral.parse(host).orElseThrow();
        // Must stay IPv6 even when IPv4-mapped, unlike InetAddress.getByName.
        assertInstanceOf(Inet6Address.class, a);
        assertEquals(hex, HexFormat.of().formatHex(a.getAddress()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "example.com", "a1.example", "1.example.com", "0x.example", "localhost", "example.com.",
            "127.0.0.1.nip.io", "0x7f.example", "1e5", "0xg", "x0x7f", "a-b_c.example", "xn--bcher-kva.de",
            "b\u00fccher.de", "deadbeef", "ffff.example",
    })
    void namesAreNotLiterals(String host) {
        assertEquals(Optional.empty(), HostLiteral.parse(host));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "256.1.1.1         | invalid IPv4 literal '256.1.1.1': part '256' exceeds 255",
            "1.2.3.4.5         | invalid IPv4 literal '1.2.3.4.5': more than 4 parts",
            "a.b.c.d.5         | invalid IPv4 literal 'a.b.c.d.5': more than 4 parts",
            "0x1ffffffff       | invalid IPv4 literal '0x1ffffffff': part '0x1ffffffff' is too large (max 4294967295)",
            "4294967296        | invalid IPv4 literal '4294967296': part '4294967296' is too large (max 4294967295)",
            "1.2.3.256         | invalid IPv4 literal '1.2.3.256': part '256' is too large (max 255)",
            "1.2.65536         | invalid IPv4 literal '1.2.65536': part '65536' is too large (max 65535)",
            "1.16777216        | invalid IPv4 literal '1.16777216': part '16777216' is too large (max 16777215)",
            "0x100.0.0.1       | invalid IPv4 literal '0x100.0.0.1': part '0x100' exceeds 255",
            "0400.0.0.1        | invalid IPv4 literal '0400.0.0.1': part '0400' exceeds 255",
            "08.0.0.1          | invalid IPv4 literal '08.0.0.1': part '08' is not valid octal",
            "09                | invalid IPv4 literal '09': part '09' is not valid octal",
            "example.1         | invalid IPv4 literal 'example.1': part 'example' is not a number",
            "0x7g.1            | invalid IPv4 literal '0x7g.1': part '0x7g' is not a number",
            "1..2              | host '1..2' has an empty label",
            ".1.2              | host '.1.2' has an empty label",
            "1.2.3.4..         | host '1.2.3.4..' has an empty label",
            "example..com      | host 'example..com' has an empty label",
            ".                 | host '.' has no labels",
            "[fe80::1%25eth0]  | IPv6 zone ids are not allowed",
            "[fe80::1%eth0]    | IPv6 zone ids are not allowed",
            "fe80::1%eth0      | IPv6 zone ids are not allowed",
            "[::1              | unbalanced brackets in host '[::1'",
            "::1]              | unbalanced brackets in host '::1]'",
            "[]                | invalid IPv6 literal ''",
            "[1:2:3:4:5:6:7:8:9] | invalid IPv6 literal '1:2:3:4:5:6:7:8:9'",
            "[1:2:3:4:5:6:7]   | invalid IPv6 literal '1:2:3:4:5:6:7'",
            "[1:2:3:4:5:6:7:8::] | invalid IPv6 literal '1:2:3:4:5:6:7:8::'",
            "[1::2::3]         | invalid IPv6 literal '1::2::3'",
            "[12345::]         | invalid IPv6 literal '12345::'",
            "[::g]             | invalid IPv6 literal '::g'",
            "[:1::]            | invalid IPv6 literal ':1::'",
            "[1:]              | invalid IPv6 literal '1:'",
            "[:::]             | invalid IPv6 literal ':::'",
            "[::127.1]         | invalid IPv6 literal '::127.1'",
            "[::256.0.0.1]     | invalid IPv6 literal '::256.0.0.1'",
            "[::ffff:01.2.3.4] | invalid IPv6 literal '::ffff:01.2.3.4'",
            "[::1.2.3.4:5]     | invalid IPv6 literal '::1.2.3.4:5'",
            "[1:2:3:4:5:6:7:1.2.3.4] | invalid IPv6 literal '1:2:3:4:5:6:7:1.2.3.4'",
            "[v1.fe]           | invalid IPv6 literal 'v1.fe'",
            "[127.0.0.1]       | invalid IPv6 literal '127.0.0.1'",
            "%31%32%37.0.0.1   | host '%31%32%37.0.0.1' contains invalid character '%'",
            "'127.0.0.1 x'     | host '127.0.0.1 x' contains invalid character ' '",
            "'127.0.0.1\t'     | host '127.0.0.1\t' contains invalid character '\t'",
    })
    void malformedNumericHostsThrow(String host, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostLiteral.parse(host));
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptyAndNullHostsThrow() {
        assertEquals("host is empty",
                assertThrows(IllegalArgumentException.class, () -> HostLiteral.parse("")).getMessage());
        assertEquals("host is empty",
                assertThrows(IllegalArgumentException.class, () -> HostLiteral.parse(null)).getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "127.1,                           127.0.0.1",
            "0xa9fea9fe,                      169.254.169.254",
            "[0:0:0:0:0:0:0:1],               ::1",
            "[::],                            ::",
            "[::ffff:7f00:1],                 ::ffff:127.0.0.1",
            "[2001:db8:0:0:1:0:0:1],          2001:db8::1:0:0:1",
            "[2001:0:0:1:0:0:0:1],            2001:0:0:1::1",
            "[2001:0db8:0000:0000:0000:0000:0000:0001], 2001:db8::1",
            "[1:0:1:1:1:1:1:1],               1:0:1:1:1:1:1:1",
            "[1::],                           1::",
            "[FE80::ABCD],                    fe80::abcd",
            "[64:ff9b::127.0.0.1],            64:ff9b::7f00:1",
            "[::127.0.0.1],                   ::7f00:1",
            "[1:2:3:4:5:6:7:8],               1:2:3:4:5:6:7:8",
    })
    void canonicalText(String host, String expected) {
        assertEquals(expected, HostLiteral.format(HostLiteral.parse(host).orElseThrow()));
    }

    @Test
    void mappedLiteralIsNotCollapsedToIpv4() {
        InetAddress a = HostLiteral.parse("[::ffff:169.254.169.254]").orElseThrow();
        assertInstanceOf(Inet6Address.class, a);
        assertEquals(16, a.getAddress().length);
        assertTrue(a.getHostAddress().endsWith("ffff:a9fe:a9fe"), a.getHostAddress());
    }
}
