package dev.gatewatch.monitor.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON path subset monitors use: {@code $}, {@code .name}, {@code ['name']} and {@code [index]} steps,
 * e.g. {@code $.data.items[0]['display-name']}. No filters or wildcards: an assertion names one value.
 */
public record JsonPath(String text, List<Object> steps) {

    /** Parses the path or throws IllegalArgumentException naming the position of the problem. */
    public static JsonPath parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("must start with $");
        }
        if (text.length() > 256) {
            throw new IllegalArgumentException("must be at most 256 characters");
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '-')) {
                    i++;
                }
                if (i == start) {
                    throw new IllegalArgumentException("expected a name after '.' at position " + start);
                }
                steps.add(text.substring(start, i));
            } else if (c == '[') {
                int close;
                if (i + 1 < text.length() && (text.charAt(i + 1) == '\'' || text.charAt(i + 1) == '"')) {
                    char quote = text.charAt(i + 1);
                    int end = text.indexOf(quote, i + 2);
                    if (end < 0 || end + 1 >= text.length() || text.charAt(end + 1) != ']') {
                        throw new IllegalArgumentException("unclosed quoted name at position " + i);
                    }
                    steps.add(text.substring(i + 2, end));
                    close = end + 1;
                } else {
                    close = text.indexOf(']', i);
                    String index = close < 0 ? "" : text.substring(i + 1, close);
                    if (!index.matches("\\d{1,6}")) {
                        throw new IllegalArgumentException("expected an array index or quoted name at position " + i);
                    }
                    steps.add(Integer.parseInt(index));
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at position " + i);
            }
        }
        return new JsonPath(text, List.copyOf(steps));
    }

    /** The value the path names in the document, if any. */
    public Optional<JsonNode> find(JsonNode root) {
        JsonNode node = root;
        for (Object step : steps) {
            if (node == null) {
                return Optional.empty();
            }
            node = step instanceof Integer index ? (node.isArray() ? node.get(index) : null) : node.get((String) step);
        }
        return Optional.ofNullable(node).filter(n -> !n.isMissingNode());
    }
}
