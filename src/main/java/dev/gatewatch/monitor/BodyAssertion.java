package dev.gatewatch.monitor;

/**
 * A check on the response body.
 *
 * @param type  {@code contains}, {@code not_contains} (plain keyword), {@code regex} or {@code not_regex} (Java regex, searched anywhere)
 * @param value the keyword or pattern
 */
public record BodyAssertion(String type, String value) {

    public static final java.util.Set<String> TYPES = java.util.Set.of("contains", "not_contains", "regex", "not_regex");
}
