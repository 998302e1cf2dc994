package dev.gatewatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** gatewatch.public-url wins over the deprecated gatewatch.web.base-url; localhost only when both are unset. */
class PublicUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "https://gw.example.com   | -                         | https://gw.example.com",
            "https://gw.example.com/  | http://old.example.com    | https://gw.example.com",
            "-                        | http://old.example.com/   | http://old.example.com",
            "''                       | http://old.example.com    | http://old.example.com",
            "-                        | -                         | http://localhost:8080",
            "https://gw.example.com/x | -                         | https://gw.example.com/x",
    })
    void resolves(String publicUrl, String deprecated, String expected) {
        assertEquals(expected, PublicUrl.resolve(Optional.ofNullable(publicUrl), Optional.ofNullable(deprecated)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gw.example.com", "ftp://gw.example.com", "https://", "https://gw.example.com/?a=b",
            "https://gw.example.com/#x", "http://exa mple.com"})
    void refusesWhatCannotBeALinkBase(String url) {
        assertThrows(IllegalArgumentException.class, () -> PublicUrl.resolve(Optional.of(url), Optional.empty()));
    }
}
