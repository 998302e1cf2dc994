package dev.gatewatch.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The API document is one that tools accept: Redocly CLI's recommended rules (redocly.yaml) find no error in it, it
 * holds the API and none of the web UI's HTML routes, every operation has a camelCase operationId, a tag, a summary and
 * the token, every 4xx is a problem+json Problem, and every example fits its schema.
 */
@Tag("e2e") // needs the Redocly CLI that src/test/e2e/install-tools.sh installs: ./mvnw verify
@QuarkusTest
class OpenApiLintTest {

    /** Where src/test/e2e/install-tools.sh installs the pinned Redocly CLI; -Ddev.gatewatch.redocly=… names another. */
    static final Path REDOCLY = Path.of(System.getProperty("dev.gatewatch.redocly",
            System.getProperty("user.home") + "/.cache/gatewatch-tools/redocly/node_modules/.bin/redocly"));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void redoclyFindsNoErrors() throws Exception {
        Path document = document();
        JsonNode result = lint(document, Path.of("target/openapi-lint.json"));
        List<String> problems = new ArrayList<>();
        for (JsonNode p : result.path("problems")) {
            problems.add(p.path("severity").asText() + " " + p.path("ruleId").asText() + " at " + p.path("location").path(0).path("pointer").asText()
                    + ": " + p.path("message").asText());
        }
        int errors = result.path("totals").path("errors").asInt(-1);
        System.out.printf("OpenApiLintTest: redocly lint: %d errors, %d warnings (target/openapi-lint.json)%n", errors,
                result.path("totals").path("warnings").asInt(-1));
        problems.forEach(p -> System.out.println("  " + p));
        assertEquals(0, errors, String.join("\n", problems));

        // the same document with one operationId taken out must fail, or the lint above proves nothing
        ObjectNode broken = (ObjectNode) JSON.readTree(document.toFile());
        ((ObjectNode) broken.path("paths").path("/api/v1/monitors").path("post")).remove("operationId");
        Path brokenFile = Path.of("target/openapi-api-broken.json");
        JSON.writeValue(brokenFile.toFile(), broken);
        JsonNode refused = lint(brokenFile, Path.of("target/openapi-lint-broken.json"));
        assertTrue(refused.path("totals").path("errors").asInt() >= 1 && refused.toString().contains("operation-operationId"),
                "redocly lint misses a missing operationId: " + refused.path("totals"));
    }

    /** Runs the pinned Redocly CLI on a document with redocly.yaml; its JSON report. */
    private static JsonNode lint(Path document, Path report) throws Exception {
        assertTrue(Files.isExecutable(REDOCLY), REDOCLY + " is missing: run src/test/e2e/install-tools.sh");
        ProcessBuilder builder = new ProcessBuilder(REDOCLY.toString(), "lint", "--config", "redocly.yaml", "--format", "json",
                document.toString()).redirectOutput(report.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        // no usage report and no update check: tests send traffic to loopback only
        builder.environment().putAll(Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true",
                "REDOCLY_SUPPRESS_NOTIFICATIONS", "true", "DO_NOT_TRACK", "1"));
        Process lint = builder.start();
        if (!lint.waitFor(120, TimeUnit.SECONDS)) {
            lint.destroyForcibly();
            throw new AssertionError("redocly lint did not finish in 120 s");
        }
        JsonNode result = JSON.readTree(report.toFile());
        assertTrue(result.path("totals").isObject(), "redocly lint wrote no report (exit " + lint.exitValue() + ")");
        return result;
    }

    @Test
    void theDocumentHoldsTheApiOnlyAndNamesEveryOperation() throws Exception {
        ApiDocument document = new ApiDocument(JSON.readTree(Files.readString(document())));
        List<String> violations = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        List<ApiDocument.Operation> operations = document.operations();
        for (ApiDocument.Operation op : operations) {
            JsonNode spec = op.spec();
            if (!op.api()) {
                violations.add(op.name() + ": not an API route (the web UI's pages stay out of the document)");
            }
            String id = spec.path("operationId").asText();
            if (!id.matches("[a-z][a-zA-Z0-9]+") || !ids.add(id)) {
                violations.add(op.name() + ": operationId '" + id + "' is not camelCase or not unique");
            }
            if (spec.path("tags").size() != 1 || spec.path("summary").asText().isBlank()) {
                violations.add(op.name() + ": needs one tag and a summary");
            }
            if (!spec.path("security").toString().contains(OpenApiDocument.TOKEN_SCHEME)) {
                violations.add(op.name() + ": no apiToken security requirement");
            }
            spec.path("responses").fields().forEachRemaining(r -> {
                JsonNode response = r.getValue().has("$ref") ? document.root().path("components").path("responses")
                        .path(r.getValue().get("$ref").asText().replace("#/components/responses/", "")) : r.getValue();
                if (r.getKey().startsWith("4") && !response.path("content").path(Problem.MEDIA_TYPE).path("schema").path("$ref").asText()
                        .equals("#/components/schemas/" + OpenApiDocument.PROBLEM)) {
                    violations.add(op.name() + ": " + r.getKey() + " is not a problem+json Problem");
                }
                if (r.getKey().equals("201") && op.path().matches("/api/v1/(monitors|channels|silences|maintenance-windows|deployments)")
                        && !response.path("headers").has("Location")) {
                    violations.add(op.name() + ": 201 without its Location header");
                }
                response.path("content").fields().forEachRemaining(media -> examples(document, op.name() + " " + r.getKey(), media.getValue(), violations));
            });
            spec.path("requestBody").path("content").fields().forEachRemaining(media -> examples(document, op.name() + " request", media.getValue(), violations));
        }
        for (JsonNode tag : document.root().path("tags")) {
            if (tag.path("description").asText().isBlank()) {
                violations.add("tag " + tag.path("name").asText() + " has no description");
            }
        }
        JsonNode problem = document.root().path("components").path("schemas").path(OpenApiDocument.PROBLEM).path("properties");
        for (String field : List.of("type", "title", "status", "detail", "instance", "errors")) {
            if (!problem.has(field)) {
                violations.add("Problem schema lacks " + field);
            }
        }
        for (String op : List.of("POST /api/v1/monitors", "POST /api/v1/channels", "POST /api/v1/tokens", "GET /api/v1/incidents")) {
            if (operations.stream().noneMatch(o -> o.name().equals(op) && o.spec().toString().contains("\"examples\""))) {
                violations.add(op + ": no examples");
            }
        }
        assertTrue(operations.size() >= 40, "the API's operations, got " + operations.size());
        assertTrue(document.root().path("paths").path("/login").isMissingNode() && document.root().path("paths").path("/status/{slug}").isMissingNode(),
                "HTML routes are in the document");
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    /** Each example's value has the types its media type's schema gives. */
    private static void examples(ApiDocument document, String where, JsonNode media, List<String> violations) {
        media.path("examples").fields().forEachRemaining(e -> {
            if (!e.getValue().has("value")) {
                violations.add(where + ": example " + e.getKey() + " has no value");
            } else {
                document.conforms(where + " example " + e.getKey(), e.getValue().get("value"), media.path("schema"), "$", violations);
            }
        });
    }

    static Path document() throws Exception {
        String raw = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        Path file = Path.of("target/openapi-api.json"); // OpenApiContractTest writes its own, web UI included, to openapi.json
        Files.createDirectories(file.getParent());
        Files.writeString(file, raw);
        return file;
    }
}
