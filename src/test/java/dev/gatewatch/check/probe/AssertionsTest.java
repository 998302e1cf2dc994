package dev.gatewatch.check.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.JsonAssertion;
import dev.gatewatch.monitor.validation.StatusCodes;

/** A response judged against body and JSON assertions: RE2 patterns, stored patterns RE2 cannot run, the deadline. */
class AssertionsTest {

    static final String MEGABYTE_OF_A = "a".repeat(1 << 20);
    static final String JSON = "{\"status\":\"ok\",\"version\":\"v2.14.1\",\"items\":[\"x\",\"y\"],\"n\":7}";

    static Arguments row(String name, String body, List<BodyAssertion> bodyChecks, List<JsonAssertion> jsonChecks, List<String> failures) {
        return Arguments.of(name, body, bodyChecks, jsonChecks, failures);
    }

    static BodyAssertion body(String type, String value) {
        return new BodyAssertion(type, value);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("regex finds anywhere in the body", "fatal error 42", List.of(body("regex", "error \\d+")), List.of(), List.of()),
                row("not_regex fails when found", "fatal error 42", List.of(body("not_regex", "error \\d+")), List.of(),
                        List.of("body not regex 'error \\d+' does not hold")),
                row("(a+)+b on a megabyte of a: linear, simply not found", MEGABYTE_OF_A, List.of(body("regex", "(a+)+b")), List.of(),
                        List.of("body regex '(a+)+b' does not hold")),
                row("(a+)+b holds as not_regex", MEGABYTE_OF_A, List.of(body("not_regex", "(a+)+b")), List.of(), List.of()),
                row("$ is the end of the body, not before a final newline", "ok\n", List.of(body("regex", "ok$")), List.of(),
                        List.of("body regex 'ok$' does not hold")),
                row("(?m) makes ^ and $ work per line", "a\nok\nb", List.of(body("regex", "(?m)^ok$")), List.of(), List.of()),
                row("contains is literal", "a.b", List.of(body("contains", "a.b"), body("contains", "a*b")), List.of(),
                        List.of("body contains 'a*b' does not hold")),
                row("a stored lookahead cannot be judged; the other assertions still are", "price: 10 EUR",
                        List.of(body("regex", "\\d+(?= EUR)"), body("contains", "USD")), List.of(),
                        List.of("body regex '\\d+(?= EUR)' cannot be judged: the pattern cannot run as an RE2 pattern: invalid or"
                                + " unsupported Perl syntax `(?=` (RE2 syntax: no backreferences, lookaround, possessive or atomic"
                                + " groups); edit the monitor", "body contains 'USD' does not hold")),
                row("a stored backreference cannot be judged", "abab", List.of(body("not_regex", "(ab)\\1")), List.of(),
                        List.of("body not regex '(ab)\\1' cannot be judged: the pattern cannot run as an RE2 pattern: invalid escape"
                                + " sequence `\\1` (RE2 syntax: no backreferences, lookaround, possessive or atomic groups); edit the monitor")),
                row("JSON matches is RE2 too", JSON, List.of(), List.of(new JsonAssertion("$.version", "matches", "^v2\\.\\d+\\.\\d+$")), List.of()),
                row("JSON matches fails plainly", JSON, List.of(), List.of(new JsonAssertion("$.status", "matches", "^(?i)DOWN$")),
                        List.of("$.status is 'ok', expected matches '^(?i)DOWN$'")),
                row("a stored JSON pattern RE2 cannot run", JSON, List.of(), List.of(new JsonAssertion("$.status", "matches", "(?<=o)k")),
                        List.of("$.status matches '(?<=o)k' cannot be judged: the pattern cannot run as an RE2 pattern: invalid named"
                                + " capture `(?<=o)k` (RE2 syntax: no backreferences, lookaround, possessive or atomic groups); edit the monitor")),
                row("JSON matches on an array reads its JSON text", JSON, List.of(), List.of(new JsonAssertion("$.items", "matches", "\"y\"\\]$")),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judges(String name, String body, List<BodyAssertion> bodyChecks, List<JsonAssertion> jsonChecks, List<String> failures) {
        assertEquals(failures, Assertions.evaluate(200, StatusCodes.parse("200-399"), body, bodyChecks, jsonChecks, Deadline.NONE));
    }

    @Test
    void aPassedDeadlineStopsJudging() {
        Deadline passed = new Deadline(System.nanoTime() - 1);
        assertThrows(Deadline.Exceeded.class, () -> Assertions.evaluate(200, StatusCodes.parse("200"), MEGABYTE_OF_A,
                List.of(body("regex", "a{1000}b")), List.of(), passed));
        assertThrows(Deadline.Exceeded.class, () -> Assertions.evaluate(200, StatusCodes.parse("200"), JSON,
                List.of(), List.of(new JsonAssertion("$.status", "equals", "ok")), passed));
    }

    @Test
    void theGuardedTextGivesUpMidMatch() {
        // the deadline passes while the text is being read, not only between assertions
        Deadline passed = new Deadline(System.nanoTime() - 1);
        CharSequence text = passed.guard(MEGABYTE_OF_A);
        assertThrows(Deadline.Exceeded.class, () -> {
            for (int i = 0; i < text.length(); i++) {
                text.charAt(i);
            }
        });
        assertEquals(MEGABYTE_OF_A.length(), Deadline.NONE.guard(MEGABYTE_OF_A).length());
    }
}
