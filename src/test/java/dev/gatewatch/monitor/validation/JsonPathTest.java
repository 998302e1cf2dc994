package dev.gatewatch.monitor.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class JsonPathTest {

    private static final String DOC = "{\"status\":\"ok\",\"data\":{\"items\":[{\"id\":7,\"display-name\":\"a b\"}],\"n\":3}}";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$.status                           | \"ok\"",
            "$.data.n                           | 3",
            "$.data.items[0].id                 | 7",
            "$.data.items[0]['display-name']    | \"a b\"",
            "$['data'][\"n\"]                   | 3",
            "$.data.items[1]                    | <missing>",
            "$.nope.deeper                      | <missing>",
            "$.status[0]                        | <missing>",
    })
    void findsValues(String path, String expected) throws Exception {
        var root = new ObjectMapper().readTree(DOC);
        String found = JsonPath.parse(path).find(root).map(Object::toString).orElse("<missing>");
        assertEquals(expected, found);
    }

    @ParameterizedTest
    @ValueSource(strings = { "status", "$.", "$..a", "$.a[", "$.a[x]", "$.a['b", "$.a[*]", "$.a?b", "$ .a" })
    void refusesWhatItDoesNotSupport(String path) {
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(path));
    }
}
