package dev.gatewatch.monitor.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusCodesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200-399        | 200 | true  | 200-399",
            "200-399        | 399 | true  | 200-399",
            "200-399        | 400 | false | 200-399",
            "200-399        | 199 | false | 200-399",
            "'200, 301-302' | 301 | true  | 200,301-302",
            "'200, 301-302' | 303 | false | 200,301-302",
            "404            | 404 | true  | 404",
            "500-500        | 500 | true  | 500",
    })
    void acceptsWhatItLists(String spec, int status, boolean accepted, String canonical) {
        StatusCodes codes = StatusCodes.parse(spec);
        assertEquals(accepted, codes.accepts(status));
        assertEquals(canonical, codes.text());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "2xx", "99", "600", "300-200", "200-", "-200", "200,,201", "abc", "1000" })
    void refusesNonsense(String spec) {
        assertThrows(IllegalArgumentException.class, () -> StatusCodes.parse(spec));
    }
}
