package dev.gatewatch.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.0.0.0/8,           10.0.0.0/8",
            "10.1.2.3/8,           10.0.0.0/8",
            "172.16.5.4/12,        172.16.0.0/12",
            "172.31.255.255/12,    172.16.0.0/12",
            "127.0.0.1,            127.0.0.1/32",
            "0.0.0.0/0,            0.0.0.0/0",
            "255.255.255.255/1,    128.0.0.0/1",
            "1.2.3.5/31,           1.2.3.4/31",
            "'  192.168.0.0/16  ', 192.168.0.0/16",
            "::1/128,              ::1/128",
            "::1,                  ::1/128",
            "::/0,                 ::/0",
            "fd00::/8,             fd00::/8",
            "FD12:3456::1/8,       fd00::/8",
            "fe80::1/10,           fe80::/10",
            "febf:ffff::/10,       fe80::/10",
            "2001:db8::/32,        2001:db8::/32",
            "2001:0DB8:0:0:0:0:0:1/64, 2001:db8::/64",
            "::ffff:0:0/96,        ::ffff:0.0.0.0/96",
            "::ffff:127.0.0.1/104, ::ffff:127.0.0.0/104",
            "64:ff9b::/96,         64:ff9b::/96",
    })
    void parsesToCanonicalText(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).toString());
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33        | invalid CIDR '10.0.0.0/33': prefix length 33 exceeds 32",
            "::/129             | invalid CIDR '::/129': prefix length 129 exceeds 128",
            "10.0.0.0/          | invalid CIDR '10.0.0.0/': prefix length '' is not a number",
            "10.0.0.0/-1        | invalid CIDR '10.0.0.0/-1': prefix length '-1' is not a number",
            "10.0.0.0/a         | invalid CIDR '10.0.0.0/a': prefix length 'a' is not a number",
            "10.0.0.0/8/8       | invalid CIDR '10.0.0.0/8/8': prefix length '8/8' is not a number",
            "10.0.0.0/0008      | invalid CIDR '10.0.0.0/0008': prefix length '0008' is not a number",
            "10.0.0/8           | invalid CIDR '10.0.0/8': '10.0.0' is not a dotted-quad IPv4 address",
            "010.0.0.0/8        | invalid CIDR '010.0.0.0/8': '010.0.0.0' is not a dotted-quad IPv4 address",
            "256.0.0.0/8        | invalid CIDR '256.0.0.0/8': '256.0.0.0' is not a dotted-quad IPv4 address",
            "0x7f.0.0.1/8       | invalid CIDR '0x7f.0.0.1/8': '0x7f.0.0.1' is not a dotted-quad IPv4 address",
            "127.1/8            | invalid CIDR '127.1/8': '127.1' is not a dotted-quad IPv4 address",
            "example.com/8      | invalid CIDR 'example.com/8': 'example.com' is not a dotted-quad IPv4 address",
            "/8                 | invalid CIDR '/8': '' is not a dotted-quad IPv4 address",
            "1::2::3/64         | invalid CIDR '1::2::3/64': '1::2::3' is not an IPv6 address",
            "[::1]/128          | invalid CIDR '[::1]/128': '[::1]' is not an IPv6 address",
            "fe80::1%eth0/64    | invalid CIDR 'fe80::1%eth0/64': zone ids are not allowed",
            "''                 | CIDR is empty",
            "'   '              | CIDR is empty",
    })
    void rejectsBadInput(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "10.0.0.0/8,        10.0.0.0,             true",
            "10.0.0.0/8,        10.255.255.255,       true",
            "10.0.0.0/8,        11.0.0.0,             false",
            "10.0.0.0/8,        9.255.255.255,        false",
            "172.16.0.0/12,     172.31.255.255,       true",
            "172.16.0.0/12,     172.32.0.0,           false",
            "172.16.0.0/12,     172.15.255.255,       false",
            "100.64.0.0/10,     100.127.255.255,      true",
            "100.64.0.0/10,     100.128.0.0,          false",
            "1.2.3.4,           1.2.3.4,              true",
            "1.2.3.4,           1.2.3.5,              false",
            "0.0.0.0/0,         8.8.8.8,              true",
            // families never mix, not even through IPv4-mapped IPv6
            "0.0.0.0/0,         [::1],                false",
            "127.0.0.0/8,       [::ffff:127.0.0.1],   false",
            "::/0,              1.2.3.4,              false",
            "::/0,              [::ffff:1.2.3.4],     true",
            "::ffff:0:0/96,     [::ffff:127.0.0.1],   true",
            "::ffff:0:0/96,     127.0.0.1,            false",
            "::ffff:0:0/96,     [::1],                false",
            "::1,               [::1],                true",
            "::1,               [::2],                false",
            "fc00::/7,          [fd00::1],            true",
            "fc00::/7,          [fbff:ffff::1],       false",
            "fc00::/7,          [fe00::1],            false",
            "fe80::/10,         [febf:ffff::1],       true",
            "fe80::/10,         [fec0::],             false",
            "2002::/16,         [2002:7f00:1::],      true",
            "2002::/16,         [2003::],             false",
    })
    void containment(String cidr, String address, boolean expected) {
        InetAddress a = HostLiteral.parse(address).orElseThrow();
        assertEquals(expected, Cidr.parse(cidr).contains(a));
    }

    @Test
    void equalityIsByValueAfterMasking() {
        Cidr a = Cidr.parse("10.1.2.3/8");
        Cidr b = Cidr.parse("10.0.0.0/8");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(1, Set.of(a).size());
        assertTrue(Set.of(a).contains(b));
        assertNotEquals(b, Cidr.parse("10.0.0.0/9"));
        assertNotEquals(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
        assertNotEquals(Cidr.parse("127.0.0.1"), Cidr.parse("::ffff:127.0.0.1"));
    }

    @Test
    void networkBytesAreDefensivelyCopied() {
        byte[] raw = {10, 1, 2, 3};
        Cidr c = new Cidr(raw, 8);
        raw[0] = 11;
        assertArrayEquals(new byte[] {10, 0, 0, 0}, c.network());
        c.network()[0] = 12;
        assertEquals("10.0.0.0/8", c.toString());
        assertEquals(8, c.prefixLength());
        assertTrue(c.isIpv4());
        assertFalse(Cidr.parse("::/0").isIpv4());
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new Cidr(new byte[5], 8));
        assertThrows(IllegalArgumentException.class, () -> new Cidr(new byte[4], -1));
        assertThrows(IllegalArgumentException.class, () -> new Cidr(new byte[4], 33));
        assertThrows(IllegalArgumentException.class, () -> new Cidr(new byte[16], 129));
        assertThrows(NullPointerException.class, () -> new Cidr(null, 0));
    }
}
