package dev.gatewatch.monitor.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Which tenant patterns run (RE2 syntax, bounded size) and how the rest are refused. */
class AssertionPatternTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // pattern                       | text                          | found
            "(a+)+b                          | aaaaaaaaaaaaaaaaaaaaaaaaaaaab | true",
            "(a+)+b                          | aaaaaaaaaaaaaaaaaaaaaaaaaaaaa | false",
            "error \\d+                      | fatal error 42 here           | true",
            "(?i)ERROR                       | an error                      | true",
            "^ok$                            | ok                            | true",
            "\"ok$\"                         | \"ok\n\"                      | false",  // $ is the very end, as \\z (Java: before a final newline too)
            "(?m)^ok$                        | \"a\nok\nb\"                  | true",
            "a.b                             | \"a\nb\"                      | false",
            "(?s)a.b                         | \"a\nb\"                      | true",
            "[[:digit:]]{4}-\\d{2}           | on 2024-05 at                 | true",
            "\\pL+                           | Ünïcode                       | true",
            "\\p{Greek}                      | αβγ                           | true",
            "\\Qa.b\\E                       | axb                           | false",
            "\\Qa.b\\E                       | a.b                           | true",
            "(?P<year>\\d{4})                | 1999                          | true",
            "(?<year>\\d{4})                 | 1999                          | true",
            "x{2,}?                          | xx                            | true",
            "\\bword\\b                      | a word here                   | true",
            "a{,5}                           | a{,5}                         | true",  // not a repetition: literal braces, as in RE2
            "\\x{41}                         | A                             | true",
            "(\\d{1,3}\\.){3}\\d{1,3}        | ip 10.0.0.1                   | true",
    })
    void runsRe2Semantics(String pattern, String text, boolean found) {
        assertEquals(found, AssertionPattern.compile(pattern).matcher(text).find());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("(a)\\1", "invalid escape sequence `\\1`"),
                Arguments.of("foo(?=bar)", "invalid or unsupported Perl syntax `(?=`"),
                Arguments.of("(?<!x)y", "invalid named capture `(?<!x)y`"),
                Arguments.of("a++", "invalid nested repetition operator `++`"),
                Arguments.of("(?>a)", "invalid or unsupported Perl syntax `(?>`"),
                Arguments.of("end\\Z", "invalid escape sequence `\\Z`"),
                Arguments.of("\\p{Alpha}", "invalid character class range `\\p{Alpha}`"),
                Arguments.of("(?x) a b", "invalid or unsupported Perl syntax `(?x`"),
                Arguments.of("a{1001}", "invalid repeat count `{1001}`"),
                Arguments.of("([a-z", "missing closing ]"),
                Arguments.of("*", "missing argument to repetition operator `*`"),
                // RE2 would accept these with another meaning than Java's
                Arguments.of("[a-z&&[^b]]", "class intersection (`&&`) is Java syntax"),
                Arguments.of("[a[bc]]", "a class inside a class"),
                // expansion: RE2/J has no limit and would fill the heap compiling these
                Arguments.of("((a{1000}){1000}){1000}", "is too large"),
                Arguments.of("(a{1000}){3}", "is too large"),
                Arguments.of("(?:x{100}|y){100}", "is too large"),
                Arguments.of("a{999}{999}", "is too large"),
                Arguments.of("(" + "(".repeat(200) + "a{9}" + "){9}".repeat(200) + ")", "is too large"),
                Arguments.of("a".repeat(1025), "must be at most 1024 characters"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWithAReason(String pattern, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AssertionPattern.compile(pattern));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a{1000}                   | in",  // 1000 elements
            "[a-f0-9]{64}              | in",
            "(\\w{1,10}\\s?){100}      | in",  // 100 × 12
            "a{1000}b{1000}            | in",  // 2000
            "a{1000}b{1000}c           | out",
            "(?:ab){500}               | in",  // (the group and 2) × 500
            "(?:ab){1000}              | out",
            "[{]{1000}x{999}           | in",  // a brace inside a class is one element
    })
    void boundsTheExpandedSize(String pattern, String where) {
        if (where.equals("in")) {
            AssertionPattern.compile(pattern);
        } else {
            assertThrows(IllegalArgumentException.class, () -> AssertionPattern.compile(pattern));
        }
    }
}
