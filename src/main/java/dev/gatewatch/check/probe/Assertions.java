package dev.gatewatch.check.probe;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.monitor.BodyAssertion;
import dev.gatewatch.monitor.JsonAssertion;
import dev.gatewatch.monitor.validation.AssertionPattern;
import dev.gatewatch.monitor.validation.JsonPath;
import dev.gatewatch.monitor.validation.StatusCodes;

/**
 * Judges a response against a monitor's expectations; each failure is one plain sentence. Patterns are RE2 (linear
 * time) and read the body through a {@link Deadline}, so a tenant's pattern cannot hold a thread past its budget.
 */
public final class Assertions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Assertions() {
    }

    /** @throws Deadline.Exceeded when the deadline passes before every assertion is judged */
    public static List<String> evaluate(int status, StatusCodes expected, String body, List<BodyAssertion> bodyChecks,
            List<JsonAssertion> jsonChecks, Deadline deadline) {
        List<String> failures = new ArrayList<>();
        if (!expected.accepts(status)) {
            failures.add("status " + status + " is not one of " + expected.text());
        }
        for (BodyAssertion a : bodyChecks) {
            deadline.check();
            body(a, body, deadline).ifPresent(failures::add);
        }
        if (!jsonChecks.isEmpty()) {
            deadline.check();
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (Exception e) {
                failures.add("the body is not JSON, so " + jsonChecks.size() + " JSON assertion(s) could not hold");
                return failures;
            }
            for (JsonAssertion a : jsonChecks) {
                deadline.check();
                json(a, root, deadline).ifPresent(failures::add);
            }
        }
        return failures;
    }

    private static Optional<String> body(BodyAssertion a, String body, Deadline deadline) {
        Compiled pattern = a.type().endsWith("regex") ? Compiled.of(a.value()) : null;
        if (pattern != null && pattern.refusal() != null) {
            return Optional.of(pattern.failure("body " + a.type().replace('_', ' '), a.value()));
        }
        boolean holds = switch (a.type()) {
            case "contains" -> body.contains(a.value());
            case "not_contains" -> !body.contains(a.value());
            case "regex" -> pattern.find(deadline.guard(body));
            case "not_regex" -> !pattern.find(deadline.guard(body));
            default -> throw new IllegalArgumentException("unknown body assertion " + a.type());
        };
        return holds ? Optional.empty() : Optional.of("body " + a.type().replace('_', ' ') + " '" + a.value() + "' does not hold");
    }

    private static Optional<String> json(JsonAssertion a, JsonNode root, Deadline deadline) {
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
        Compiled pattern = op.equals("matches") ? Compiled.of(a.value()) : null;
        if (pattern != null && pattern.refusal() != null) {
            return Optional.of(pattern.failure(a.path() + " matches", a.value()));
        }
        boolean holds = switch (op) {
            case "equals" -> same(node, text, a.value());
            case "not_equals" -> !same(node, text, a.value());
            case "contains" -> node.isArray() ? contains(node, a.value()) : text.contains(a.value());
            case "matches" -> pattern.find(deadline.guard(text));
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

    /**
     * A pattern stored before patterns were RE2 (or past today's limits) is {@code refusal}: that assertion fails with
     * the reason, the others still run.
     */
    private record Compiled(com.google.re2j.Pattern pattern, String refusal) {
        static Compiled of(String regex) {
            try {
                return new Compiled(AssertionPattern.compile(regex), null);
            } catch (IllegalArgumentException e) {
                return new Compiled(null, e.getMessage());
            }
        }

        boolean find(CharSequence text) {
            return pattern.matcher(text).find();
        }

        String failure(String what, String regex) {
            return what + " '" + regex + "' cannot be judged: the pattern " + refusal + "; edit the monitor";
        }
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
