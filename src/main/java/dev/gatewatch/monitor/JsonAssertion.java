package dev.gatewatch.monitor;

/**
 * A check on a value inside a JSON response.
 *
 * @param path  a JSON path such as {@code $.status} or {@code $.items[0]['name']}
 * @param op    {@code equals}, {@code not_equals}, {@code contains}, {@code matches} (regex), {@code less_than},
 *              {@code greater_than}, {@code exists}, {@code not_exists}
 * @param value what to compare with (not used by exists / not_exists)
 */
public record JsonAssertion(String path, String op, String value) {

    public static final java.util.Set<String> OPS = java.util.Set.of("equals", "not_equals", "contains", "matches",
            "less_than", "greater_than", "exists", "not_exists");
}
