package dev.gatewatch.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatewatch.support.Fixtures;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The API keeps the contract its OpenAPI document states, for good and for hostile input. Every operation of
 * {@code /q/openapi} is sent generated bad input (NUL and other control characters, huge and negative numbers, wrong
 * types, nulls, missing, empty and malformed bodies, overlong URIs and bodies), authenticated and not, and must answer
 * a status code the document lists for it, never a 5xx, and every 4xx of the API as problem+json. A valid request per
 * operation must get the documented success code. New operations are covered the day they are added.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** Bad strings: NUL alone and inside text, other C0 controls, DEL, an unpaired surrogate. */
    private static final List<String> BAD_TEXT = List.of("\0", "a\0b", "\u0001", "\u001b[0m", "\u007f", "\ud800");
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
    private static final List<String> BAD_PARAM = List.of("\0", "a\0b", "\u0001", "42949673", "2147483648", "9223372036854775808", "1e309", "-1",
            "x", "");
    /** Bad values for a web form field: the form pages take text and say what is wrong on the page. */
    private static final List<String> BAD_FORM = List.of("\0", "a\0b", "\u0001", "9223372036854775808", "");
    /** Bad path segments, already URL-encoded. */
    private static final List<String> BAD_PATH = List.of("%00", "a%00b", "%01", "x", "-1", "9223372036854775808", "1e309");

    @Inject
    AgroalDataSource dataSource;

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

    /** What a request was meant to test, to say which one broke the contract. */
    record Probe(String label, String field) {
    }

    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> nanosPer = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private JsonNode document;
    private TestOwner owner;
    private Map<String, Long> ids;

    @Test
    void everyOperationAnswersBadInputWithADocumentedProblem() throws Exception {
        setUp();
        long started = System.nanoTime();
        List<Operation> operations = operations();
        // three at a time to keep it short; what removes the test owner's resources goes last, one at a time
        List<Operation> removing = operations.stream().filter(OpenApiContractTest::removes).toList();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (var done : pool.invokeAll(operations.stream().filter(op -> !removes(op)).<Callable<Void>>map(op -> () -> {
                badInput(op);
                return null;
            }).toList())) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
        wrongMethods(operations);
        removing.forEach(this::badInput);
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("OpenApiContractTest: %d operations, %d bad requests in %d ms, %d violations%n", operations.size(), sent.get(), ms,
                violations.size());
        Files.writeString(Path.of("target/openapi-contract-violations.txt"), String.join("\n", violations));
        nanosPer.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> System.out.printf("  %s: %d ms%n", e.getKey(), e.getValue() / 1_000_000));
        assertTrue(operations.size() > 40, "the document lists the API's operations, got " + operations.size());
        assertTrue(violations.isEmpty(), violations.size() + " answers break the document:\n" + String.join("\n", violations.subList(0,
                Math.min(200, violations.size()))));
    }

    @Test
    void theDocumentNamesEveryOperationAndDescribesItsErrors() throws Exception {
        setUp();
        Set<String> operationIds = new TreeSet<>();
        for (Operation op : operations()) {
            String id = op.spec().path("operationId").asText();
            if (id.isEmpty() || !operationIds.add(id)) {
                violations.add(op.name() + ": operationId '" + id + "' is missing or not unique");
            }
            op.spec().path("responses").fields().forEachRemaining(response -> {
                JsonNode r = response.getValue().has("$ref") ? document.path("components").path("responses")
                        .path(response.getValue().get("$ref").asText().replace("#/components/responses/", "")) : response.getValue();
                if (response.getKey().startsWith("4") && !r.path("content").path(Problem.MEDIA_TYPE).path("schema").path("$ref").asText()
                        .equals("#/components/schemas/Problem")) {
                    violations.add(op.name() + ": " + response.getKey() + " is not described as a problem+json Problem");
                }
            });
            if (op.api() && (!op.documented().contains("401") || !op.spec().path("security").toString().contains("apiToken"))) {
                violations.add(op.name() + ": 401 or the apiToken security requirement is not documented");
            }
            if (op.method().equals("post") && op.spec().path("responses").has("201") && op.spec().path("responses").has("200")) {
                violations.add(op.name() + ": documents both 200 and 201");
            }
        }
        assertTrue(document.path("components").path("schemas").path("Problem").path("properties").has("errors"));
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    @Test
    void validRequestsGetTheDocumentedSuccessCodeAndBody() throws Exception {
        setUp();
        TestOwner webOwner = Owners.create();
        Map<String, Long> webIds = Fixtures.create(webOwner, dataSource);
        List<Operation> operations = new ArrayList<>(operations());
        // what removes a resource goes last, so that the others still find theirs
        operations.sort(java.util.Comparator.comparing(OpenApiContractTest::removes));
        List<String> checked = new ArrayList<>();
        for (Operation op : operations) {
            String kind = op.formOrJson();
            JsonNode body = Bodies.valid(op.name());
            if ("form".equals(kind) && !op.path().matches(".*/(pause|resume|delete|revoke|test)|/logout")) {
                continue; // the web UI's forms with fields have tests of their own (MonitorPagesTest, MaintenancePagesTest, …)
            }
            if ("json".equals(kind) && body == null && op.spec().path("requestBody").path("required").asBoolean()) {
                violations.add(op.name() + ": no valid body in Bodies for the valid request; add one");
                continue;
            }
            RequestSpecification request;
            String url;
            if (op.api()) {
                request = owner.api().redirects().follow(false);
                url = url(op, ids, Map.of());
            } else {
                request = op.method().equals("get") ? webOwner.web() : webOwner.web().formParam("csrf", webOwner.csrf()).formParam("confirm", "on");
                url = url(op, webIds, Map.of());
            }
            if (body != null) {
                request = request.body(fill(body.toString()));
            }
            Response r = request.request(op.method().toUpperCase(), url);
            sent.incrementAndGet();
            Set<String> success = new TreeSet<>();
            op.documented().stream().filter(c -> c.startsWith("2") || (!op.api() && c.equals("303"))).forEach(success::add);
            if (!success.contains(Integer.toString(r.statusCode()))) {
                violations.add(op.name() + " (valid): " + r.statusCode() + ", documented success " + success + ": "
                        + abbreviate(r.asString()));
                continue;
            }
            JsonNode content = op.spec().path("responses").path(Integer.toString(r.statusCode())).path("content");
            if (content.has("application/json") && String.valueOf(r.contentType()).startsWith("application/json")) {
                conforms(op.name() + " (valid) body", JSON.readTree(r.asString()), content.path("application/json").path("schema"), "$");
            }
            checked.add(op.name());
        }
        System.out.printf("OpenApiContractTest: %d valid requests answered as documented%n", checked.size());
        assertTrue(checked.size() > 50, "most operations get a valid request, got " + checked);
        assertTrue(violations.isEmpty(), violations.size() + " valid requests break the document:\n" + String.join("\n", violations));
    }

    /** The value has the schema's types; null only where the schema allows null. */
    private void conforms(String where, JsonNode value, JsonNode schema, String path) {
        if (schema.has("$ref")) {
            conforms(where, value, resolve(schema), path);
            return;
        }
        if (schema.has("anyOf") || schema.has("oneOf")) {
            JsonNode options = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
            for (JsonNode option : options) {
                if (value.isNull() ? "null".equals(option.path("type").asText()) : !"null".equals(option.path("type").asText())) {
                    conforms(where, value, option, path);
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
            violations.add(where + ": " + path + " is " + actual + " (" + abbreviate(value.toString()) + "), the document says " + types);
            return;
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> {
                JsonNode property = schema.path("properties").path(f.getKey());
                if (!property.isMissingNode()) {
                    conforms(where, f.getValue(), property, path + "." + f.getKey());
                } else if (schema.path("additionalProperties").isObject()) {
                    conforms(where, f.getValue(), schema.get("additionalProperties"), path + "." + f.getKey());
                }
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                conforms(where, value.get(i), schema.path("items"), path + "[" + i + "]");
            }
        }
    }

    private List<String> formFields(Operation op) {
        List<String> fields = new ArrayList<>();
        resolve(op.spec().path("requestBody").path("content").path("application/x-www-form-urlencoded").path("schema"))
                .path("properties").fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    private void badInput(Operation op) {
        badPathParameters(op);
        badQueryParameters(op);
        badBodies(op);
        unauthenticated(op);
        overlong(op);
    }

    static boolean removes(Operation op) {
        return op.method().equals("delete") || op.path().matches(".*/(delete|revoke)|/logout");
    }

    private void setUp() throws Exception {
        owner = Owners.create();
        String raw = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/openapi.json"), raw);
        document = JSON.readTree(raw);
        ids = Fixtures.create(owner, dataSource);
    }

    private List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                ops.add(new Operation(m.getKey(), path.getKey(), m.getValue()));
            }
        }));
        return ops;
    }

    // ---- generators ---------------------------------------------------------------------------------------------

    private void badPathParameters(Operation op) {
        Matcher m = PARAM.matcher(op.path());
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        for (String name : names) {
            for (String bad : BAD_PATH) {
                String url = url(op, Map.of(name, bad));
                if (name.equals("slug") && !bad.contains("%")) {
                    continue; // any text is a slug that may not exist: 404 is the answer, checked by the others
                }
                send(op, new Probe("path " + name + "=" + bad, name), authed(op).urlEncodingEnabled(false), url, validBodyOrNull(op));
            }
        }
    }

    private void badQueryParameters(Operation op) {
        for (JsonNode p : op.spec().path("parameters")) {
            if (!"query".equals(p.path("in").asText())) {
                continue;
            }
            String name = p.path("name").asText();
            for (String bad : BAD_PARAM) {
                send(op, new Probe("query " + name + "=" + printable(bad), name), authed(op).queryParam(name, bad), url(op, Map.of()),
                        validBodyOrNull(op));
            }
        }
    }

    private void badBodies(Operation op) {
        String kind = op.formOrJson();
        if ("json".equals(kind)) {
            String url = url(op, Map.of());
            for (String whole : List.of("", "null", "{", "[]", "\"x\"", "1e309", "{\"a\":1}x")) {
                send(op, new Probe("body " + (whole.isEmpty() ? "empty" : whole), ""), authed(op).body(whole), url, null);
            }
            send(op, new Probe("no body", ""), authed(op), url, null);
            send(op, new Probe("body as text/plain", ""), authed(op).contentType("text/plain").body("{}"), url, null);
            JsonNode valid = Bodies.valid(op.name());
            JsonNode schema = resolve(op.spec().path("requestBody").path("content").path("application/json").path("schema"));
            mutate(valid == null ? NODES.objectNode() : valid, schema, "", body -> send(op, body.probe(),
                    authed(op).body(fill(body.json().toString())), url, null));
        } else if ("form".equals(kind)) {
            JsonNode schema = resolve(op.spec().path("requestBody").path("content").path("application/x-www-form-urlencoded").path("schema"));
            Iterator<String> fields = schema.path("properties").fieldNames();
            while (fields.hasNext()) {
                String field = fields.next();
                if (field.equals("csrf")) {
                    continue;
                }
                for (String bad : BAD_FORM) {
                    send(op, new Probe("form " + field + "=" + printable(bad), field), web().formParam(field, bad), url(op, Map.of()), null);
                }
            }
        }
    }

    private void unauthenticated(Operation op) {
        String url = url(op, Map.of());
        send(op, new Probe("no credentials", ""), given().redirects().follow(false).contentType("application/json"), url,
                validBodyOrNull(op));
        send(op, new Probe("unknown token", ""), given().redirects().follow(false).header("Authorization", "Bearer gw_unknown")
                .contentType("application/json"), url, validBodyOrNull(op));
    }

    private void overlong(Operation op) {
        String url = url(op, Map.of());
        send(op, new Probe("URI of 10 KiB", ""), authed(op).queryParam("padding", "x".repeat(10 * 1024)), url, validBodyOrNull(op));
        if ("json".equals(op.formOrJson())) {
            send(op, new Probe("body over 1 MiB", ""), authed(op).body("[" + "1,".repeat(600_000) + "1]"), url, null);
        } else if ("form".equals(op.formOrJson())) {
            send(op, new Probe("form over 1 MiB", ""), owner.web().contentType("application/x-www-form-urlencoded")
                    .body("csrf=" + owner.csrf() + "&name=" + "x".repeat(1_100_000)), url, null);
        }
    }

    private void wrongMethods(List<Operation> ops) {
        Map<String, Set<String>> byPath = new LinkedHashMap<>();
        ops.forEach(op -> byPath.computeIfAbsent(op.path(), p -> new TreeSet<>()).add(op.method()));
        byPath.forEach((path, methods) -> {
            String missing = METHODS.stream().filter(m -> !methods.contains(m)).sorted().findFirst().orElseThrow();
            Operation any = ops.stream().filter(o -> o.path().equals(path)).findFirst().orElseThrow();
            // what Allow promises besides the documented methods
            for (String implied : methods.contains("get") ? List.of("OPTIONS", "HEAD") : List.of("OPTIONS")) {
                Response answer = authed(any).request(implied, url(any, Map.of()));
                sent.incrementAndGet();
                if (answer.statusCode() >= 400) {
                    violations.add(implied + " " + path + ": " + answer.statusCode() + ", though Allow names it");
                }
            }
            Response r = authed(any).request(missing.toUpperCase(), url(any, Map.of()));
            sent.incrementAndGet();
            String name = missing.toUpperCase() + " " + path;
            if (r.statusCode() != 405) {
                violations.add(name + ": a method the path does not have answered " + r.statusCode() + ", not 405");
            } else {
                String allow = r.getHeader("Allow");
                if (allow == null || methods.stream().anyMatch(m -> !allow.toUpperCase().contains(m.toUpperCase()))) {
                    violations.add(name + ": 405 with Allow " + allow + ", not the path's methods " + methods);
                }
                problem(name, "wrong method", "", r);
            }
        });
    }

    /** A mutated body and what it tests. */
    record Mutant(JsonNode json, Probe probe) {
    }

    /** Each field of the valid body (and each the schema names) set to each bad value in turn; an unknown field added. */
    private void mutate(JsonNode valid, JsonNode schema, String path, Consumer<Mutant> each) {
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
            for (String bad : bad(resolve(schema.path("properties").path(field)), valid.path(field))) {
                ObjectNode copy = ((ObjectNode) valid).deepCopy();
                copy.set(field, parse(bad));
                each.accept(new Mutant(copy, new Probe(at + "=" + bad, at)));
            }
            JsonNode nested = valid.path(field);
            JsonNode nestedSchema = resolve(schema.path("properties").path(field));
            if (nested.isObject()) {
                mutate(nested, nestedSchema, at, m -> {
                    ObjectNode copy = ((ObjectNode) valid).deepCopy();
                    copy.set(field, m.json());
                    each.accept(new Mutant(copy, m.probe()));
                });
            } else if (nested.isArray() && !nested.isEmpty()) {
                JsonNode itemSchema = resolve(nestedSchema.path("items"));
                for (String bad : List.of("\"\\u0000\"", "9223372036854775808", "null", "{}", "[]")) {
                    ObjectNode copy = ((ObjectNode) valid).deepCopy();
                    ((ArrayNode) copy.get(field)).set(0, parse(bad));
                    each.accept(new Mutant(copy, new Probe(at + "[0]=" + bad, at + "[0]")));
                }
                mutate(nested.get(0), itemSchema, at + "[0]", m -> {
                    ObjectNode copy = ((ObjectNode) valid).deepCopy();
                    ((ArrayNode) copy.get(field)).set(0, m.json());
                    each.accept(new Mutant(copy, m.probe()));
                });
            }
        }
    }

    private static List<String> bad(JsonNode schema, JsonNode example) {
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

    // ---- requests and checks ------------------------------------------------------------------------------------

    private RequestSpecification authed(Operation op) {
        return op.api() ? owner.api().redirects().follow(false) : op.method().equals("get") ? owner.web() : web();
    }

    private RequestSpecification web() {
        return owner.web().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                .appendDefaultContentCharsetToContentTypeIfUndefined(false))).formParam("csrf", owner.csrf());
    }

    private String validBodyOrNull(Operation op) {
        JsonNode valid = Bodies.valid(op.name());
        return "json".equals(op.formOrJson()) ? (valid == null ? "{}" : fill(valid.toString())) : null;
    }

    private void send(Operation op, Probe probe, RequestSpecification request, String url, String body) {
        if (body != null) {
            request = request.body(body);
        }
        Response r;
        long start = System.nanoTime();
        try {
            r = request.request(op.method().toUpperCase(), url);
            nanosPer.merge(op.name(), System.nanoTime() - start, Long::sum);
        } catch (RuntimeException e) {
            violations.add(op.name() + " [" + probe.label() + "]: no answer: " + e);
            return;
        }
        sent.incrementAndGet();
        check(op, probe, r);
    }

    private void check(Operation op, Probe probe, Response r) {
        int status = r.statusCode();
        String where = op.name() + " [" + printable(probe.label()) + "]";
        if (status >= 500) {
            violations.add(where + ": " + status + " " + abbreviate(r.asString()));
            return;
        }
        if (!op.documented().contains(Integer.toString(status))) {
            violations.add(where + ": " + status + " is not documented (" + op.documented() + ")");
        }
        if (status == 404 && !probe.label().startsWith("path ") && !removes(op)) {
            // the path names the test owner's resources: a bad query value or field is bad input, not a missing resource
            violations.add(where + ": 404 for bad input on an existing resource, not 400");
        }
        if (status >= 400 && (op.api() || !String.valueOf(r.contentType()).startsWith("text/html"))) {
            problem(where, probe.label(), probe.field(), r);
        }
    }

    private void problem(String where, String label, String field, Response r) {
        int status = r.statusCode();
        if (!String.valueOf(r.contentType()).startsWith(Problem.MEDIA_TYPE)) {
            violations.add(where + ": " + status + " as " + r.contentType() + ", not problem+json: " + abbreviate(r.asString()));
            return;
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(r.asString());
        } catch (Exception e) {
            violations.add(where + ": problem+json that is not JSON: " + abbreviate(r.asString()));
            return;
        }
        if (problem.path("status").asInt() != status || problem.path("title").asText().isEmpty()) {
            violations.add(where + ": problem without its status or title: " + abbreviate(r.asString()));
        }
        String last = field.replaceAll(".*[.\\]]", "").replaceAll("\\[.*", "");
        // a null field takes its default, which may break a rule of another field (method null = GET, with a body)
        boolean nulled = label.endsWith("=null");
        if (status == 400 && !field.isEmpty() && !problem.toString().contains(last.replace("\0", "\\u0000"))
                && !(nulled && problem.path("errors").size() > 0)) {
            violations.add(where + ": 400 does not name " + field + ": " + abbreviate(problem.toString()));
        }
    }

    /** A body from Bodies with the test owner's status page address and monitor. */
    private String fill(String body) {
        return body.replace("SLUG", Fixtures.slug(ids)).replace("\"monitorId\":0", "\"monitorId\":" + ids.get("monitorId"));
    }

    private String url(Operation op, Map<String, String> override) {
        return url(op, ids, override);
    }

    private String url(Operation op, Map<String, Long> ids, Map<String, String> override) {
        Matcher m = PARAM.matcher(op.path());
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = override.containsKey(name) ? override.get(name)
                    : name.equals("slug") ? Fixtures.slug(ids) : String.valueOf(ids.getOrDefault(name, 1L));
            m.appendReplacement(url, Matcher.quoteReplacement(value));
        }
        m.appendTail(url);
        return url.toString();
    }

    private JsonNode resolve(JsonNode schema) {
        for (int i = 0; i < 5 && schema.has("$ref"); i++) {
            String ref = schema.get("$ref").asText().replace("#/components/schemas/", "");
            schema = document.path("components").path("schemas").path(ref);
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

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x20 || c == 0x7f || Character.isSurrogate((char) c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.length() > 60 ? b.substring(0, 60) + "…" : b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
