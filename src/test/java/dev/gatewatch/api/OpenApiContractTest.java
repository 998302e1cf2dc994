package dev.gatewatch.api;

import static io.restassured.RestAssured.given;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.gatewatch.support.Fixtures;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The API keeps the contract its OpenAPI document states, for good and for hostile input. Every operation of
 * {@code /q/openapi}, here with the web UI's pages in it ({@link WebUiDocumented}), is sent generated bad input (NUL
 * and other control characters, huge and negative numbers, wrong types, nulls, missing, empty and malformed bodies,
 * overlong URIs and bodies), authenticated and not, and must answer a status code the document lists for it, never a
 * 5xx, and every 4xx of the API as problem+json. A valid request per operation must get the documented success code,
 * body and Location. New operations are covered the day they are added.
 */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
@TestProfile(WebUiDocumented.class)
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    @Inject
    AgroalDataSource dataSource;

    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> nanosPer = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private ApiDocument document;
    private TestOwner owner;
    private Map<String, Long> ids;

    @Test
    void everyOperationAnswersBadInputWithADocumentedProblem() throws Exception {
        setUp();
        long started = System.nanoTime();
        List<ApiDocument.Operation> operations = document.operations();
        // three at a time to keep it short; what removes the test owner's resources goes last, one at a time
        List<ApiDocument.Operation> removing = operations.stream().filter(OpenApiContractTest::removes).toList();
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
        for (ApiDocument.Operation op : document.operations()) {
            String id = op.spec().path("operationId").asText();
            if (id.isEmpty() || !operationIds.add(id)) {
                violations.add(op.name() + ": operationId '" + id + "' is missing or not unique");
            }
            op.spec().path("responses").fields().forEachRemaining(response -> {
                JsonNode r = response.getValue().has("$ref") ? document.root().path("components").path("responses")
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
        assertTrue(document.root().path("components").path("schemas").path("Problem").path("properties").has("errors"));
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    @Test
    void validRequestsGetTheDocumentedSuccessCodeAndBody() throws Exception {
        setUp();
        TestOwner webOwner = Owners.create();
        Map<String, Long> webIds = Fixtures.create(webOwner, dataSource);
        List<ApiDocument.Operation> operations = new ArrayList<>(document.operations());
        // what removes a resource goes last, so that the others still find theirs, and logging out (which ends the
        // session on the server) after everything else
        operations.sort(java.util.Comparator.comparing((ApiDocument.Operation op) -> op.path().equals("/logout"))
                .thenComparing(OpenApiContractTest::removes));
        List<String> checked = new ArrayList<>();
        for (ApiDocument.Operation op : operations) {
            String kind = op.formOrJson();
            JsonNode body = Bodies.valid(op.name());
            if ("form".equals(kind) && !op.path().matches(".*/(pause|resume|delete|revoke|test)|/logout")) {
                continue; // the web UI's forms with fields have tests of their own (MonitorPagesTest, MaintenancePagesTest, …)
            }
            if (op.path().startsWith("/password-reset/")) {
                continue; // a reset link is a key only a mail carries: PasswordResetTest follows real ones
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
            boolean locationDocumented = op.spec().path("responses").path(Integer.toString(r.statusCode())).path("headers").has("Location");
            if (op.api() && locationDocumented != (r.header("Location") != null)) {
                violations.add(op.name() + " (valid): Location " + (locationDocumented ? "documented but not sent" : "sent but not documented"));
            }
            JsonNode content = op.spec().path("responses").path(Integer.toString(r.statusCode())).path("content");
            if (content.has("application/json") && String.valueOf(r.contentType()).startsWith("application/json")) {
                document.conforms(op.name() + " (valid) body", JSON.readTree(r.asString()), content.path("application/json").path("schema"), "$", violations);
            }
            checked.add(op.name());
        }
        System.out.printf("OpenApiContractTest: %d valid requests answered as documented%n", checked.size());
        assertTrue(checked.size() > 50, "most operations get a valid request, got " + checked);
        assertTrue(violations.isEmpty(), violations.size() + " valid requests break the document:\n" + String.join("\n", violations));
    }

    @org.junit.jupiter.api.AfterEach
    void noContractNode() {
        dev.gatewatch.api.Sql.update(dataSource, "delete from checker_node where id = 'contract-node'");
        // its anonymous diagnoses would count against this address's limit in the diagnosis tests
        dev.gatewatch.api.Sql.update(dataSource, "delete from diagnosis where owner_id is null");
    }

    private void badInput(ApiDocument.Operation op) {
        badPathParameters(op);
        badQueryParameters(op);
        badBodies(op);
        unauthenticated(op);
        overlong(op);
    }

    static boolean removes(ApiDocument.Operation op) {
        return op.method().equals("delete") || op.path().matches(".*/(delete|revoke)|/logout");
    }

    private void setUp() throws Exception {
        owner = Owners.create();
        String raw = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/openapi.json"), raw);
        document = new ApiDocument(JSON.readTree(raw));
        ids = Fixtures.create(owner, dataSource);
        // a diagnosis is accepted only with a live region: a node heartbeating for this test's length (none answers it)
        dev.gatewatch.api.Sql.update(dataSource, """
                insert into checker_node (id, region, host, version, started_at, last_seen_at)
                values ('contract-node', 'contract', 'contract', 'test', now(), now() + interval '10 minutes')
                on conflict (id) do update set last_seen_at = excluded.last_seen_at, stopped_at = null
                """);
    }

    // ---- generators ---------------------------------------------------------------------------------------------

    private void badPathParameters(ApiDocument.Operation op) {
        Matcher m = PARAM.matcher(op.path());
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        for (String name : names) {
            for (String bad : BadValues.BAD_PATH) {
                String url = url(op, Map.of(name, bad));
                if (name.equals("slug") && !bad.contains("%")) {
                    continue; // any text is a slug that may not exist: 404 is the answer, checked by the others
                }
                send(op, new BadValues.Probe("path " + name + "=" + bad, name), authed(op).urlEncodingEnabled(false), url, validBodyOrNull(op));
            }
        }
    }

    private void badQueryParameters(ApiDocument.Operation op) {
        for (JsonNode p : op.spec().path("parameters")) {
            if (!"query".equals(p.path("in").asText())) {
                continue;
            }
            String name = p.path("name").asText();
            for (String bad : BadValues.BAD_PARAM) {
                send(op, new BadValues.Probe("query " + name + "=" + printable(bad), name), authed(op).queryParam(name, bad), url(op, Map.of()),
                        validBodyOrNull(op));
            }
        }
    }

    private void badBodies(ApiDocument.Operation op) {
        String kind = op.formOrJson();
        if ("json".equals(kind)) {
            String url = url(op, Map.of());
            for (String whole : List.of("", "null", "{", "[]", "\"x\"", "1e309", "{\"a\":1}x")) {
                send(op, new BadValues.Probe("body " + (whole.isEmpty() ? "empty" : whole), ""), authed(op).body(whole), url, null);
            }
            send(op, new BadValues.Probe("no body", ""), authed(op), url, null);
            send(op, new BadValues.Probe("body as text/plain", ""), authed(op).contentType("text/plain").body("{}"), url, null);
            JsonNode valid = Bodies.valid(op.name());
            JsonNode schema = document.resolve(op.spec().path("requestBody").path("content").path("application/json").path("schema"));
            BadValues.mutate(document, valid == null ? JsonNodeFactory.instance.objectNode() : valid, schema, "", body -> send(op, body.probe(),
                    authed(op).body(fill(body.json().toString())), url, null));
        } else if ("form".equals(kind)) {
            JsonNode schema = document.resolve(op.spec().path("requestBody").path("content").path("application/x-www-form-urlencoded").path("schema"));
            Iterator<String> fields = schema.path("properties").fieldNames();
            while (fields.hasNext()) {
                String field = fields.next();
                if (field.equals("csrf")) {
                    continue;
                }
                for (String bad : BadValues.BAD_FORM) {
                    send(op, new BadValues.Probe("form " + field + "=" + printable(bad), field), web().formParam(field, bad), url(op, Map.of()), null);
                }
            }
        }
    }

    private void unauthenticated(ApiDocument.Operation op) {
        String url = url(op, Map.of());
        send(op, new BadValues.Probe("no credentials", ""), given().redirects().follow(false).contentType("application/json"), url,
                validBodyOrNull(op));
        send(op, new BadValues.Probe("unknown token", ""), given().redirects().follow(false).header("Authorization", "Bearer gw_unknown")
                .contentType("application/json"), url, validBodyOrNull(op));
    }

    private void overlong(ApiDocument.Operation op) {
        String url = url(op, Map.of());
        send(op, new BadValues.Probe("URI of 10 KiB", ""), authed(op).queryParam("padding", "x".repeat(10 * 1024)), url, validBodyOrNull(op));
        if ("json".equals(op.formOrJson())) {
            send(op, new BadValues.Probe("body over 1 MiB", ""), authed(op).body("[" + "1,".repeat(600_000) + "1]"), url, null);
        } else if ("form".equals(op.formOrJson())) {
            send(op, new BadValues.Probe("form over 1 MiB", ""), owner.web().contentType("application/x-www-form-urlencoded")
                    .body("csrf=" + owner.csrf() + "&name=" + "x".repeat(1_100_000)), url, null);
        }
    }

    private void wrongMethods(List<ApiDocument.Operation> ops) {
        Map<String, Set<String>> byPath = new LinkedHashMap<>();
        ops.forEach(op -> byPath.computeIfAbsent(op.path(), p -> new TreeSet<>()).add(op.method()));
        byPath.forEach((path, methods) -> {
            String missing = ApiDocument.METHODS.stream().filter(m -> !methods.contains(m)).sorted().findFirst().orElseThrow();
            ApiDocument.Operation any = ops.stream().filter(o -> o.path().equals(path)).findFirst().orElseThrow();
            // what Allow promises besides the documented methods
            for (String implied : methods.contains("get") ? List.of("OPTIONS", "HEAD") : List.of("OPTIONS")) {
                Response answer = authed(any).request(implied, url(any, Map.of()));
                sent.incrementAndGet();
                // HEAD may answer what GET documents (a reset link that is not one is 410 either way)
                boolean documentedForGet = implied.equals("HEAD") && ops.stream().anyMatch(o -> o.path().equals(path)
                        && o.method().equals("get") && o.documented().contains(Integer.toString(answer.statusCode())));
                if (answer.statusCode() >= 400 && !documentedForGet) {
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

    // ---- requests and checks ------------------------------------------------------------------------------------

    private RequestSpecification authed(ApiDocument.Operation op) {
        return op.api() ? owner.api().redirects().follow(false) : op.method().equals("get") ? owner.web() : web();
    }

    private RequestSpecification web() {
        return owner.web().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                .appendDefaultContentCharsetToContentTypeIfUndefined(false))).formParam("csrf", owner.csrf());
    }

    private String validBodyOrNull(ApiDocument.Operation op) {
        JsonNode valid = Bodies.valid(op.name());
        return "json".equals(op.formOrJson()) ? (valid == null ? "{}" : fill(valid.toString())) : null;
    }

    private void send(ApiDocument.Operation op, BadValues.Probe probe, RequestSpecification request, String url, String body) {
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

    private void check(ApiDocument.Operation op, BadValues.Probe probe, Response r) {
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

    private String url(ApiDocument.Operation op, Map<String, String> override) {
        return url(op, ids, override);
    }

    private String url(ApiDocument.Operation op, Map<String, Long> ids, Map<String, String> override) {
        Matcher m = PARAM.matcher(op.path());
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = override.containsKey(name) ? override.get(name)
                    : name.equals("slug") ? Fixtures.slug(ids) : name.equals("diagnosisId") ? Fixtures.diagnosisId(ids)
                    : String.valueOf(ids.getOrDefault(name, 1L));
            m.appendReplacement(url, Matcher.quoteReplacement(value));
        }
        m.appendTail(url);
        return url.toString();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x20 || c == 0x7f || Character.isSurrogate((char) c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.length() > 60 ? b.substring(0, 60) + "…" : b.toString();
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
