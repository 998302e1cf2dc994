package dev.gatewatch.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/** The OpenAPI document as the contract test reads it: its operations, schemas by reference, and values against them. */
final class ApiDocument {

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private final JsonNode root;

    ApiDocument(JsonNode root) {
        this.root = root;
    }

    JsonNode root() {
        return root;
    }

    record Operation(String method, String path, JsonNode spec) {
        String name() {
            return method.toUpperCase() + " " + path;
        }

        boolean api() {
            return path.startsWith("/api/");
        }

        Set<String> documented() {
            Set<String> codes = new TreeSet<>();
            spec.path("responses").fieldNames().forEachRemaining(codes::add);
            return codes;
        }

        String formOrJson() {
            JsonNode content = spec.path("requestBody").path("content");
            if (content.has("application/json")) {
                return "json";
            }
            if (content.has("application/x-www-form-urlencoded")) {
                return "form";
            }
            return null;
        }
    }

    List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        root.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                ops.add(new Operation(m.getKey(), path.getKey(), m.getValue()));
            }
        }));
        return ops;
    }

    JsonNode resolve(JsonNode schema) {
        for (int i = 0; i < 5 && schema.has("$ref"); i++) {
            String ref = schema.get("$ref").asText().replace("#/components/schemas/", "");
            schema = root.path("components").path("schemas").path(ref);
        }
        for (String combined : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode part : schema.path(combined)) {
                if (!"null".equals(part.path("type").asText())) {
                    return resolve(part);
                }
            }
        }
        return schema;
    }

    /** The value has the schema's types; null only where the schema allows null. */
    void conforms(String where, JsonNode value, JsonNode schema, String path, List<String> violations) {
        if (schema.has("$ref")) {
            conforms(where, value, resolve(schema), path, violations);
            return;
        }
        if (schema.has("anyOf") || schema.has("oneOf")) {
            JsonNode options = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
            for (JsonNode option : options) {
                if (value.isNull() ? "null".equals(option.path("type").asText()) : !"null".equals(option.path("type").asText())) {
                    conforms(where, value, option, path, violations);
                    return;
                }
            }
            violations.add(where + ": " + path + " is " + value.getNodeType() + ", not any of " + options);
            return;
        }
        Set<String> types = new TreeSet<>();
        JsonNode type = schema.path("type");
        (type.isArray() ? type : List.of(type)).forEach(t -> {
            if (!t.isMissingNode()) {
                types.add(t.asText());
            }
        });
        if (types.isEmpty()) {
            return; // any value
        }
        String actual = switch (value.getNodeType()) {
            case NULL -> "null";
            case STRING -> "string";
            case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            default -> "object";
        };
        if (!types.contains(actual) && !(actual.equals("integer") && types.contains("number"))) {
            violations.add(where + ": " + path + " is " + actual + " (" + OpenApiContractTest.abbreviate(value.toString()) + "), the document says " + types);
            return;
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> {
                JsonNode property = schema.path("properties").path(f.getKey());
                if (!property.isMissingNode()) {
                    conforms(where, f.getValue(), property, path + "." + f.getKey(), violations);
                } else if (schema.path("additionalProperties").isObject()) {
                    conforms(where, f.getValue(), schema.get("additionalProperties"), path + "." + f.getKey(), violations);
                }
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                conforms(where, value.get(i), schema.path("items"), path + "[" + i + "]", violations);
            }
        }
    }
}
