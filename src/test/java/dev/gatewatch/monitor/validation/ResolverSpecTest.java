package dev.gatewatch.monitor.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResolverSpecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "system                  | system                | -              | 53",
            "SYSTEM                  | system                | -              | 53",
            "1.1.1.1                 | 1.1.1.1               | 1.1.1.1        | 53",
            "127.0.0.2:5353          | 127.0.0.2:5353        | 127.0.0.2      | 5353",
            "127.0.0.2:53            | 127.0.0.2             | 127.0.0.2      | 53",
            "dns.example.net:5300    | dns.example.net:5300  | dns.example.net| 5300",
            "2606:4700:4700::1111    | 2606:4700:4700::1111  | 2606:4700:4700::1111 | 53",
            "[2606:4700::1111]:5353  | [2606:4700::1111]:5353| 2606:4700::1111| 5353",
    })
    void parses(String text, String canonical, String host, int port) {
        ResolverSpec spec = ResolverSpec.parse(text);
        assertEquals(canonical, spec.text());
        assertEquals(host, spec.host().orElse("-"));
        assertEquals(port, spec.port());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "bad host", "1.1.1.1:0", "1.1.1.1:70000", "host:port", "[::1", "[::1]x", "[host]:53", "a_b.example" })
    void refuses(String text) {
        assertThrows(IllegalArgumentException.class, () -> ResolverSpec.parse(text));
    }
}
