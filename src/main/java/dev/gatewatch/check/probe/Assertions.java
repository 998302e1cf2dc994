package dev.gatewatch.check.probe;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.JsonAssertion;
import dev.gatewatch.monitor.validation.JsonPath;
import dev.gatewatch.monitor.validation.StatusCodes;

/** Judges a response against a monitor's expectations; each failure is one plain sentence. */
public final class Assertions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Assertions() {
    }

    public static List<String> evaluate(int status, StatusCodes expected, String body, List<BodyAssertion> bodyChecks,
            List<JsonAssertion> jsonChecks) {
        List<String> failures = new ArrayList<>();
        if (!expected.accepts(status)) {
            failures.add("status " + status + " is not one of " + expected.text());
        }
        for (BodyAssertion a : bodyChecks) {
            body(a, body).ifPresent(failures::add);
        }
        if (!jsonChecks.isEmpty()) {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (Exception e) {
                failures.add("the body is not JSON, so " + jsonChecks.size() + " JSON assertion(s) could not hold");
                return failures;
            }
            for (JsonAssertion a : jsonChecks) {
                json(a, root).ifPresent(failures::add);
            }
        }
        return failures;
    }

    private static Optional<String> body(BodyAssertion a, String body) {
        boolean holds = switch (a.type()) {
            case "contains" -> body.contains(a.value());
            case "not_contains" -> !body.contains(a.value());
            case "regex" -> Pattern.compile(a.value()).matcher(body).find();
            case "not_regex" -> !Pattern.compile(a.value()).matcher(body).find();
            default -> throw new IllegalArgumentException("unknown body assertion " + a.type());
        };
        return holds ? Optional.empty() : Optional.of("body " + a.type().replace('_', ' ') + " '" + a.value() + "' does not hold");
    }

    private static Optional<String> json(JsonAssertion a, JsonNode root) {
        Optional<JsonNode> found = root == null ? Optional.empty() : JsonPath.parse(a.path()).find(root);
        String op = a.op();
        if (op.equals("exists") || op.equals("not_exists")) {
            boolean exists = found.isPresent() && !found.get().isNull();
            return exists == op.equals("exists") ? Optional.empty() : Optional.of(a.path() + (exists ? " exists" : " does not exist"));
        }
        if (found.isEmpty()) {
            return Optional.of(a.path() + " does not exist");
        }
        JsonNode node = found.get();
        String text = node.isValueNode() ? node.asText() : node.toString();
        boolean holds = switch (op) {
            case "equals" -> same(node, text, a.value());
            case "not_equals" -> !same(node, text, a.value());
            case "contains" -> node.isArray() ? contains(node, a.value()) : text.contains(a.value());
            case "matches" -> Pattern.compile(a.value()).matcher(text).find();
            case "less_than", "greater_than" -> {
                Optional<BigDecimal> number = number(text);
                Optional<BigDecimal> limit = number(a.value());
                yield number.isPresent() && limit.isPresent()
                        && (op.equals("less_than") ? number.get().compareTo(limit.get()) < 0 : number.get().compareTo(limit.get()) > 0);
            }
            default -> throw new IllegalArgumentException("unknown JSON assertion " + op);
        };
        return holds ? Optional.empty() : Optional.of(a.path() + " is " + abbreviate(text) + ", expected " + op.replace('_', ' ') + " '" + a.value() + "'");
    }

    private static boolean same(JsonNode node, String text, String expected) {
        if (node.isNumber()) {
            Optional<BigDecimal> want = number(expected);
            return want.isPresent() && node.decimalValue().compareTo(want.get()) == 0;
        }
        return text.equals(expected);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if ((item.isValueNode() ? item.asText() : item.toString()).equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<BigDecimal> number(String text) {
        try {
            return Optional.of(new BigDecimal(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? "'" + text.substring(0, 80) + "…'" : "'" + text + "'";
    }
}
