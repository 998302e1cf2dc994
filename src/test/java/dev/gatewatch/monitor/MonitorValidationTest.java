package dev.gatewatch.monitor;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import io.quarkus.test.junit.QuarkusTest;

/** Bad input of every kind: 400 problem+json naming each bad field, and nothing stored. */
@Tag("slow") // over 10 s: runs in ./mvnw verify, not in the quick ./mvnw test
@QuarkusTest
class MonitorValidationTest {

    /** One owner for the class: every case is refused and stores nothing (each case checks), so they can share it. */
    private static TestOwner shared;

    TestOwner owner;

    @BeforeEach
    void owner() {
        if (shared == null) {
            shared = Owners.create();
        }
        owner = shared;
    }

    /** For a case that stores a monitor: an owner of its own, so the shared one still has none. */
    private void ownOwner() {
        owner = Owners.create();
    }

    static Stream<Arguments> badMonitors() {
        String ok = "\"name\":\"n\",\"url\":\"http://127.0.0.1/\"";
        return Stream.of(
                Arguments.of("{}", new String[] { "name", "url" }),
                Arguments.of("{\"name\":\"n\",\"url\":\"ftp://example.com/\"}", new String[] { "url" }),
                Arguments.of("{\"name\":\"n\",\"url\":\"not a url\"}", new String[] { "url" }),
                Arguments.of("{\"name\":\"n\",\"url\":\"http://user:pw@example.com/\"}", new String[] { "url" }),
                Arguments.of("{\"name\":\"n\",\"url\":\"http:///nohost\"}", new String[] { "url" }),
                Arguments.of("{\"name\":\"n\",\"url\":\"http://example.com:99999/\"}", new String[] { "url" }),
                Arguments.of("{\"name\":\"n\",\"url\":\"http://256.1.1.1/\"}", new String[] { "url" }),
                Arguments.of("{\"name\":\"n\",\"url\":\"http://" + "a".repeat(2050) + ".com/\"}", new String[] { "url" }),
                Arguments.of("{\"name\":\"" + "x".repeat(101) + "\",\"url\":\"http://127.0.0.1/\"}", new String[] { "name" }),
                Arguments.of("{" + ok + ",\"method\":\"FETCH\"}", new String[] { "method" }),
                Arguments.of("{" + ok + ",\"body\":\"x\"}", new String[] { "body" }),
                Arguments.of("{" + ok + ",\"method\":\"POST\",\"body\":\"" + "x".repeat(70_000) + "\"}", new String[] { "body" }),
                Arguments.of("{" + ok + ",\"headers\":{\"Host\":\"evil\"}}", new String[] { "headers.Host" }),
                Arguments.of("{" + ok + ",\"headers\":{\"Bad Name\":\"v\"}}", new String[] { "headers.Bad Name" }),
                Arguments.of("{" + ok + ",\"headers\":{\"X-A\":\"line\\r\\nInjected: 1\"}}", new String[] { "headers.X-A" }),
                Arguments.of("{" + ok + ",\"expectedStatus\":\"200-99\"}", new String[] { "expectedStatus" }),
                Arguments.of("{" + ok + ",\"expectedStatus\":\"2xx\"}", new String[] { "expectedStatus" }),
                Arguments.of("{" + ok + ",\"expectedStatus\":\"600\"}", new String[] { "expectedStatus" }),
                Arguments.of("{" + ok + ",\"bodyAssertions\":[{\"type\":\"regex\",\"value\":\"([a-z\"}]}", new String[] { "bodyAssertions[0].value" }),
                Arguments.of("{" + ok + ",\"bodyAssertions\":[{\"type\":\"sounds_like\",\"value\":\"x\"}]}", new String[] { "bodyAssertions[0].type" }),
                Arguments.of("{" + ok + ",\"bodyAssertions\":[{\"type\":\"contains\",\"value\":\"\"}]}", new String[] { "bodyAssertions[0].value" }),
                Arguments.of("{" + ok + ",\"jsonAssertions\":[{\"path\":\"status\",\"op\":\"equals\",\"value\":\"ok\"}]}", new String[] { "jsonAssertions[0].path" }),
                Arguments.of("{" + ok + ",\"jsonAssertions\":[{\"path\":\"$.a[\",\"op\":\"exists\"}]}", new String[] { "jsonAssertions[0].path" }),
                Arguments.of("{" + ok + ",\"jsonAssertions\":[{\"path\":\"$.a\",\"op\":\"matches\",\"value\":\"*\"}]}", new String[] { "jsonAssertions[0].value" }),
                Arguments.of("{" + ok + ",\"jsonAssertions\":[{\"path\":\"$.a\",\"op\":\"less_than\",\"value\":\"ten\"}]}", new String[] { "jsonAssertions[0].value" }),
                // patterns RE2 cannot run in linear time, or that would expand past the bound
                Arguments.of("{" + ok + ",\"bodyAssertions\":[{\"type\":\"regex\",\"value\":\"(a)\\\\1\"}]}", new String[] { "bodyAssertions[0].value" }),
                Arguments.of("{" + ok + ",\"bodyAssertions\":[{\"type\":\"contains\",\"value\":\"x\"},{\"type\":\"not_regex\",\"value\":\"a(?=b)\"}]}",
                        new String[] { "bodyAssertions[1].value" }),
                Arguments.of("{" + ok + ",\"bodyAssertions\":[{\"type\":\"regex\",\"value\":\"((a{1000}){1000}){1000}\"}]}", new String[] { "bodyAssertions[0].value" }),
                Arguments.of("{" + ok + ",\"jsonAssertions\":[{\"path\":\"$.a\",\"op\":\"matches\",\"value\":\"(?<!x)y\"}]}", new String[] { "jsonAssertions[0].value" }),
                // U+0000 anywhere in the request names its field (PostgreSQL cannot store it)
                Arguments.of("{\"name\":\"n\\u0000\",\"url\":\"http://127.0.0.1/\"}", new String[] { "name" }),
                Arguments.of("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\\u0000\"}", new String[] { "url" }),
                Arguments.of("{" + ok + ",\"method\":\"POST\",\"body\":\"a\\u0000b\"}", new String[] { "body" }),
                Arguments.of("{" + ok + ",\"headers\":{\"X-A\":\"v\\u0000\"}}", new String[] { "headers.X-A" }),
                Arguments.of("{" + ok + ",\"headers\":{\"X\\u0000A\":\"v\"}}", new String[] { "headers.X\\u0000A" }),
                Arguments.of("{" + ok + ",\"bodyAssertions\":[{\"type\":\"contains\",\"value\":\"ok\"},{\"type\":\"contains\",\"value\":\"\\u0000\"}]}",
                        new String[] { "bodyAssertions[1].value" }),
                Arguments.of("{" + ok + ",\"jsonAssertions\":[{\"path\":\"$['a\\u0000']\",\"op\":\"exists\"}]}", new String[] { "jsonAssertions[0].path" }),
                Arguments.of("{" + ok + ",\"regions\":[\"eu\",\"us\\u0000\"]}", new String[] { "regions[1]" }),
                Arguments.of("{" + ok + ",\"resolvers\":[\"\\u0000\"]}", new String[] { "resolvers[0]" }),
                Arguments.of("{" + ok + ",\"expectedStatus\":\"200\\u0000\"}", new String[] { "expectedStatus" }),
                Arguments.of("{" + ok + ",\"jsonAssertions\":[{\"path\":\"$.a\",\"op\":\"equals\"}]}", new String[] { "jsonAssertions[0].value" }),
                Arguments.of("{" + ok + ",\"intervalSeconds\":5}", new String[] { "intervalSeconds" }),
                Arguments.of("{" + ok + ",\"intervalSeconds\":100000}", new String[] { "intervalSeconds" }),
                Arguments.of("{" + ok + ",\"timeoutMs\":500}", new String[] { "timeoutMs" }),
                Arguments.of("{" + ok + ",\"intervalSeconds\":10,\"timeoutMs\":20000}", new String[] { "timeoutMs" }),
                Arguments.of("{" + ok + ",\"maxResponseTimeMs\":0}", new String[] { "maxResponseTimeMs" }),
                Arguments.of("{" + ok + ",\"minTlsValidityDays\":10}", new String[] { "minTlsValidityDays" }),
                Arguments.of("{" + ok + ",\"maxRedirects\":21}", new String[] { "maxRedirects" }),
                Arguments.of("{" + ok + ",\"regions\":[\"EU West!\"]}", new String[] { "regions[0]" }),
                Arguments.of("{" + ok + ",\"regions\":[\"eu\",\"eu\"]}", new String[] { "regions[1]" }),
                Arguments.of("{" + ok + ",\"resolvers\":[\"system\",\"1.1.1.1\",\"8.8.8.8\",\"9.9.9.9\",\"8.8.4.4\",\"1.0.0.1\",\"149.112.112.112\"]}", new String[] { "resolvers" }),
                Arguments.of("{" + ok + ",\"resolvers\":[\"1.1.1.1:0\"]}", new String[] { "resolvers[0]" }),
                Arguments.of("{" + ok + ",\"resolvers\":[\"not a host\"]}", new String[] { "resolvers[0]" }),
                Arguments.of("{" + ok + ",\"resolvers\":[\"1.1.1.1\",\"1.1.1.1:53\"]}", new String[] { "resolvers[1]" }),
                Arguments.of("{" + ok + ",\"resolvers\":[\"10.0.0.53\"]}", new String[] { "resolvers[0]" }),
                Arguments.of("{" + ok + ",\"alertPolicy\":{\"confirmationWindowSeconds\":5}}", new String[] { "alertPolicy.confirmationWindowSeconds" }),
                Arguments.of("{" + ok + ",\"alertPolicy\":{\"successThreshold\":0}}", new String[] { "alertPolicy.successThreshold" }),
                Arguments.of("{" + ok + ",\"alertPolicy\":{\"channels\":[42]}}", new String[] { "alertPolicy.channels[0]" }),
                // many bad fields at once are all named
                Arguments.of("{\"name\":\"\",\"url\":\"gopher://x\",\"intervalSeconds\":1,\"method\":\"X\",\"regions\":[\"!\"]}",
                        new String[] { "name", "url", "intervalSeconds", "method", "regions[0]" }));
    }

    @ParameterizedTest
    @MethodSource("badMonitors")
    void badInputIsRefusedWithEachFieldNamed(String body, String[] fields) {
        owner.api().body(body).post("/api/v1/monitors").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItems(fields));
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(0));
    }

    static Stream<Arguments> privateTargets() {
        return Stream.of("http://10.0.0.1/", "http://0x0a.1/", "http://167772161/", "http://012.0.0.1/", "http://172.16.5.4/",
                "http://192.168.1.1:8080/", "http://100.64.0.1/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
                "http://255.255.255.255/", "http://224.0.0.1/", "http://[fd00::1]/", "http://[fe80::1]/", "http://[ff02::1]/",
                "http://[::ffff:10.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://[::]/", "http://[fe80::1%25eth0]/",
                "http://[64:ff9b::a00:1]/").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("privateTargets")
    void privateTargetsAreRefused(String url) {
        owner.api().body("{\"name\":\"n\",\"url\":\"" + url + "\"}").post("/api/v1/monitors").then().statusCode(400)
                .body("errors.field", hasItem("url"));
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(0));
    }

    @Test
    void aNameThatResolvesInsideIsRefusedWithoutEchoingItsDnsAnswer() {
        // intranet.gatewatch.test is 10.0.0.1 in src/test/resources/test-hosts
        owner.api().body("{\"name\":\"n\",\"url\":\"http://intranet.gatewatch.test/\"}").post("/api/v1/monitors").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("url"))
                .body("errors[0].message", equalTo("points inside a private network and is refused: "
                        + "the DNS answer for intranet.gatewatch.test is a private (RFC 1918) address"))
                .body(not(containsString("10.0.0.1")));
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"resolvers\":[\"system\",\"intranet.gatewatch.test:5353\"]}")
                .post("/api/v1/monitors").then().statusCode(400).body("errors[0].field", equalTo("resolvers[1]"))
                .body("errors[0].message", containsString("inside a private network")).body(not(containsString("10.0.0.1")));
        // a literal the owner typed is named, in its canonical spelling
        owner.api().body("{\"name\":\"n\",\"url\":\"http://0x0a.1/\"}").post("/api/v1/monitors").then().statusCode(400)
                .body("errors[0].message", equalTo("points inside a private network and is refused: host private (RFC 1918) address 10.0.0.1"));
    }

    @Test
    void aResolverOnAPublicAddressMustUsePort53() {
        ownOwner();
        for (String resolver : new String[] { "1.1.1.1:22", "1.1.1.1:853", "8.8.8.8:5353", "[2606:4700:4700::1111]:443" }) {
            owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"resolvers\":[\"system\",\"" + resolver + "\"]}")
                    .post("/api/v1/monitors").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("resolvers[1]"))
                    .body("errors[0].message", containsString("a resolver on a public address must use port 53"));
        }
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(0));
        // port 53 anywhere public, and any port on an allow-listed address (the test profile allows loopback)
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"resolvers\":[\"1.1.1.1:53\",\"127.0.0.1:5353\",\"[::1]:1053\"]}")
                .post("/api/v1/monitors").then().statusCode(201).body("resolvers", equalTo(java.util.List.of("1.1.1.1", "127.0.0.1:5353", "[::1]:1053")));
    }

    @Test
    void patternsAreRe2AcceptedInLinearTimeOrRefusedWithTheReason() {
        ownOwner();
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"bodyAssertions\":[{\"type\":\"regex\",\"value\":\"(a)\\\\1\"}]}")
                .post("/api/v1/monitors").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("bodyAssertions[0].value"))
                .body("errors[0].message", containsString("cannot run as an RE2 pattern: invalid escape sequence `\\1`"));
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"jsonAssertions\":[{\"path\":\"$.a\",\"op\":\"matches\",\"value\":\"(a{1000}){1000}\"}]}")
                .post("/api/v1/monitors").then().statusCode(400)
                .body("errors[0].field", equalTo("jsonAssertions[0].value")).body("errors[0].message", containsString("is too large"));
        // catastrophic for a backtracking engine, linear for RE2: accepted
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"bodyAssertions\":[{\"type\":\"not_regex\",\"value\":\"(a+)+b\"}]}")
                .post("/api/v1/monitors").then().statusCode(201).body("bodyAssertions[0].value", equalTo("(a+)+b"));
    }

    @Test
    void typeErrorsNameTheField() {
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"intervalSeconds\":\"often\"}").post("/api/v1/monitors")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("intervalSeconds")).body("errors[0].message", containsString("number"));
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"regions\":\"eu\"}").post("/api/v1/monitors")
                .then().statusCode(400).body("errors[0].field", equalTo("regions"));
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"alertPolicy\":{\"channels\":[\"x\"]}}").post("/api/v1/monitors")
                .then().statusCode(400).body("errors[0].field", equalTo("alertPolicy.channels[0]"));
        owner.api().body("{\"name\":\"n\",\"url\":\"http://127.0.0.1/\",\"intervall\":60}").post("/api/v1/monitors")
                .then().statusCode(400).body("errors[0].field", equalTo("intervall")).body("errors[0].message", equalTo("unknown field"));
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(0));
    }

    @Test
    void malformedBodiesWrongTypesAndHugePayloadsGetClear4xx() {
        owner.api().body("{\"name\":").post("/api/v1/monitors").then().statusCode(400)
                .contentType("application/problem+json").body("title", equalTo("Malformed JSON"));
        owner.api().body("[1,2]").post("/api/v1/monitors").then().statusCode(400).contentType("application/problem+json");
        owner.api().body("").post("/api/v1/monitors").then().statusCode(400).contentType("application/problem+json");
        owner.api().contentType("text/plain").body("name=x").post("/api/v1/monitors").then().statusCode(415)
                .contentType("application/problem+json");
        owner.api().body("{\"name\":\"" + "x".repeat(2_000_000) + "\"}").post("/api/v1/monitors").then().statusCode(413);
        owner.api().body("{}").patch("/api/v1/monitors").then().statusCode(405);
        owner.api().get("/api/v1/monitors/not-a-number").then().statusCode(404);
        owner.api().get("/api/v1/monitors").then().body("total", equalTo(0));
    }
}
