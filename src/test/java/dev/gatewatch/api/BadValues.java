package dev.gatewatch.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The bad input the contract test sends: values per kind of parameter and field, and bodies mutated field by field. */
final class BadValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bad values for a JSON field, by the type the schema gives it: bad values of that type, then of other types. */
    private static final Map<String, List<String>> BAD_JSON = Map.of(
            "string", List.of("\"\\u0000\"", "\"a\\u0000b\"", "\"\\u0001\"", "\"\\u001b[0m\"", "\"\\ud800\"", "9223372036854775808", "{}",
                    "[]", "null"),
            "integer", List.of("2147483648", "9223372036854775808", "1e309", "-1", "-2147483649", "1.5", "\"x\"", "\"\\u0000\"", "{}",
                    "null"),
            "boolean", List.of("\"x\"", "\"\\u0000\"", "2", "{}", "null"),
            "array", List.of("{}", "\"\\u0000\"", "1", "[null]", "[[]]", "null"),
            "object", List.of("[]", "\"\\u0000\"", "1", "{\"\\u0000\":1}", "null"));
    /** Bad values for a query or form parameter. */
    static final List<String> BAD_PARAM = List.of("\0", "a\0b", "\u0001", "42949673", "2147483648", "9223372036854775808", "1e309", "-1",
            "x", "");
    /** Bad values for a web form field: the form pages take text and say what is wrong on the page. */
    static final List<String> BAD_FORM = List.of("\0", "a\0b", "\u0001", "9223372036854775808", "");
    /** Bad path segments, already URL-encoded. */
    static final List<String> BAD_PATH = List.of("%00", "a%00b", "%01", "x", "-1", "9223372036854775808", "1e309");

    private BadValues() {
    }

    /** What a request was meant to test, to say which one broke the contract. */
    record Probe(String label, String field) {
    }

    /** A mutated body and what it tests. */
    record Mutant(JsonNode json, Probe probe) {
    }

    /** Each field of the valid body (and each the schema names) set to each bad value in turn; an unknown field added. */
    static void mutate(ApiDocument document, JsonNode valid, JsonNode schema, String path, Consumer<Mutant> each) {
        if (!valid.isObject()) {
            return;
        }
        Set<String> fields = new TreeSet<>();
        valid.fieldNames().forEachRemaining(fields::add);
        schema.path("properties").fieldNames().forEachRemaining(fields::add);
        ObjectNode unknown = ((ObjectNode) valid).deepCopy();
        unknown.put("no such field", 1);
        each.accept(new Mutant(unknown, new Probe("unknown field", "no such field")));
        for (String field : fields) {
            String at = path.isEmpty() ? field : path + "." + field;
            for (String bad : bad(document.resolve(schema.path("properties").path(field)), valid.path(field))) {
                ObjectNode copy = ((ObjectNode) valid).deepCopy();
                copy.set(field, parse(bad));
                each.accept(new Mutant(copy, new Probe(at + "=" + bad, at)));
            }
            JsonNode nested = valid.path(field);
            JsonNode nestedSchema = document.resolve(schema.path("properties").path(field));
            if (nested.isObject()) {
                mutate(document, nested, nestedSchema, at, m -> {
                    ObjectNode copy = ((ObjectNode) valid).deepCopy();
                    copy.set(field, m.json());
                    each.accept(new Mutant(copy, m.probe()));
                });
            } else if (nested.isArray() && !nested.isEmpty()) {
                JsonNode itemSchema = document.resolve(nestedSchema.path("items"));
                for (String bad : List.of("\"\\u0000\"", "9223372036854775808", "null", "{}", "[]")) {
                    ObjectNode copy = ((ObjectNode) valid).deepCopy();
                    ((ArrayNode) copy.get(field)).set(0, parse(bad));
                    each.accept(new Mutant(copy, new Probe(at + "[0]=" + bad, at + "[0]")));
                }
                mutate(document, nested.get(0), itemSchema, at + "[0]", m -> {
                    ObjectNode copy = ((ObjectNode) valid).deepCopy();
                    ((ArrayNode) copy.get(field)).set(0, m.json());
                    each.accept(new Mutant(copy, m.probe()));
                });
            }
        }
    }

    static List<String> bad(JsonNode schema, JsonNode example) {
        String type = null;
        JsonNode types = schema.path("type");
        for (JsonNode t : types.isArray() ? types : List.of(types)) {
            if (!t.isMissingNode() && !t.asText().equals("null")) {
                type = t.asText();
            }
        }
        if (type == null) {
            type = example.isTextual() ? "string" : example.isNumber() ? "integer" : example.isBoolean() ? "boolean"
                    : example.isArray() ? "array" : "object";
        }
        return BAD_JSON.getOrDefault(type.equals("number") ? "integer" : type, BAD_JSON.get("object"));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
