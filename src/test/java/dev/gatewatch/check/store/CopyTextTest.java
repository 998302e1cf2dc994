package dev.gatewatch.check.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** COPY text format: the four characters the format gives a meaning to are escaped, nothing else is touched. */
class CopyTextTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("plain", "plain"),
                Arguments.of("tab\there", "tab\\there"),
                Arguments.of("new\nline", "new\\nline"),
                Arguments.of("carriage\rreturn", "carriage\\rreturn"),
                Arguments.of("back\\slash", "back\\\\slash"),
                Arguments.of("\\N", "\\\\N"),
                Arguments.of("", ""),
                Arguments.of("\u00fcn\u00efc\u00f6d\u00e9 \u2713 \"quoted\" 'single' {json}", "\u00fcn\u00efc\u00f6d\u00e9 \u2713 \"quoted\" 'single' {json}"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void escapes(String value, String encoded) {
        assertEquals(encoded + "\n", text(new CopyText().value(value).endRow()));
    }

    @Test
    void rowsOfTypedValues() {
        CopyText t = new CopyText().value(7L).value(null).value(true).value(false).value((short) 3)
                .value(Instant.parse("2026-12-02T10:00:00.125Z")).endRow().value("x").endRow();
        assertEquals("7\t\\N\tt\tf\t3\t2026-12-02T10:00:00.125Z\nx\n", text(t));
    }

    private static String text(CopyText t) {
        return new String(t.bytes(), StandardCharsets.UTF_8);
    }
}
