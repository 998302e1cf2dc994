package dev.gatewatch.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import dev.gatewatch.analysis.model.Deployment;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.Timings;
import dev.gatewatch.check.cdn.EdgeInfo;
import dev.gatewatch.check.cdn.ErrorSource;

/** The verdict and the advice per audience, from the checks of one diagnosis: no network, no database. */
class VerdictsTest {

    private static final Instant AT = Instant.parse("2026-12-03T06:00:00Z");
    private static final List<String> RESOLVERS = List.of("system", "1.1.1.1", "8.8.8.8", "9.9.9.9");

    /** One check's outcome. */
    private record C(String region, String resolver, Integer status, ErrorClass error, String ip, EdgeInfo edge, Timings t) {
    }

    private static final EdgeInfo NGINX_502 = new EdgeInfo(null, null, null, "nginx/1.22.1", ErrorSource.ORIGIN, "nginx");
    private static final EdgeInfo NGINX_OK = new EdgeInfo(null, null, null, "nginx/1.22.1", ErrorSource.NONE, null);
    private static final Timings FAST = new Timings(2, 1, null, 5, 1, 9);

    private static C ok(String region, String resolver, String ip) {
        return new C(region, resolver, 200, null, ip, NGINX_OK, FAST);
    }

    private static C status(String region, String resolver, String ip, int status, EdgeInfo edge) {
        return new C(region, resolver, status, null, ip, edge, FAST);
    }

    private static C error(String region, String resolver, String ip, ErrorClass error) {
        return new C(region, resolver, null, error, ip, null, new Timings(2, null, null, null, null, 3));
    }

    private static List<C> every(List<String> regions, java.util.function.BiFunction<String, String, C> check) {
        List<C> out = new ArrayList<>();
        for (String r : regions) {
            for (String resolver : RESOLVERS) {
                out.add(check.apply(r, resolver));
            }
        }
        return out;
    }

    private static Verdict judge(List<C> checks, List<String> asked, boolean closed, Deployment deploy) {
        List<CheckResult> results = checks.stream().map(c -> new CheckResult(0, c.region(), c.resolver(), "node-1", AT.minusSeconds(2),
                AT.minusSeconds(2), c.error() == null && c.status() < 400, c.status(), c.error(), c.error() == null ? null : "failed",
                c.t(), c.ip(), 0, null, 100, c.edge(), null, null, List.of())).toList();
        Set<String> answered = checks.stream().map(C::region).collect(Collectors.toSet());
        return Verdicts.of(new Verdicts.Observation(results, asked, answered, closed, 3000, deploy, AT));
    }

    private static Verdict judge(List<C> checks) {
        return judge(checks, checks.stream().map(C::region).distinct().toList(), true, null);
    }

    static Stream<Arguments> scenarios() {
        List<String> one = List.of("eu");
        List<String> three = List.of("eu", "us", "ap");
        return Stream.of(
                Arguments.of("healthy site", every(three, (r, x) -> ok(r, x, "127.0.0.1")), Finding.UP,
                        "Up for everyone", "It works from here", "Nothing fails from outside"),
                Arguments.of("deploy restart: nginx 502 everywhere", every(one, (r, x) -> status(r, x, "127.0.0.1", 502, NGINX_502)),
                        Finding.DOWN_EVERYWHERE, "Down for everyone: HTTP 502 from nginx at the origin", "It's not you", "nginx's error log"),
                Arguments.of("back end refusing everywhere", every(three, (r, x) -> error(r, x, "127.0.0.1", ErrorClass.CONNECT_REFUSED)),
                        Finding.DOWN_EVERYWHERE, "Down for everyone: connect refused", "It's not you", "Check that the web server or proxy is running"),
                Arguments.of("name gone everywhere", every(three, (r, x) -> error(r, x, null, ErrorClass.DNS_NXDOMAIN)),
                        Finding.DOWN_EVERYWHERE, "Down for everyone: dns nxdomain", "It's not you", "Check the DNS record"),
                Arguments.of("dead node behind one resolver", every(three, (r, x) -> x.equals("8.8.8.8")
                                ? error(r, x, "127.0.0.2", ErrorClass.CONNECT_REFUSED) : ok(r, x, "127.0.0.1")),
                        Finding.DOWN_VIA_RESOLVERS, "Down for some visitors, depending on their DNS: connect refused through 8.8.8.8",
                        "Switch your DNS to 1.1.1.1 (Cloudflare) or 9.9.9.9 (Quad9)", "fix or remove the record for 127.0.0.2"),
                Arguments.of("one region cut off", every(three, (r, x) -> r.equals("ap")
                                ? error(r, x, "127.0.0.1", ErrorClass.CONNECT_TIMEOUT) : ok(r, x, "127.0.0.1")),
                        Finding.DOWN_IN_REGIONS, "Down from ap: connect timeout, while eu and us reach the site",
                        "It depends on where you are", "Trace the route from ap"),
                Arguments.of("slow back end", every(one, (r, x) -> new C(r, x, 200, null, "127.0.0.1", NGINX_OK,
                                new Timings(2, 1, null, 4200, 3, 4206))), Finding.SLOW,
                        "Up, but slow: every check took over 3000 ms (the slowest 4206 ms), most of it waiting for the first byte",
                        "It is slow for everyone", "Look at the application's CPU"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aScenarioGetsItsFindingHeadlineAndTheAdviceOfEachAudience(String name, List<C> checks, Finding finding, String headline,
                                                                  String firstVisitorStep, String ownerAdvice) {
        Verdict v = judge(checks);
        assertEquals(finding, v.finding(), v.headline());
        assertTrue(v.headline().startsWith(headline), v.headline());
        assertTrue(v.visitor().get(0).title().startsWith(firstVisitorStep), v.visitor().get(0).title());
        String owner = v.owner().stream().map(s -> s.title() + ": " + s.text()).collect(Collectors.joining("\n"));
        assertTrue(owner.contains(ownerAdvice), owner);
        assertTrue(v.silent().isEmpty() && v.waiting().isEmpty());
    }

    @Test
    void aRestartKindOfFailureTellsTheVisitorToWaitAMinuteAndOneThatDoesNotClearByItselfDoesNot() {
        Verdict restart = judge(every(List.of("eu"), (r, x) -> status(r, x, "127.0.0.1", 502, NGINX_502)));
        assertEquals("Wait 30–60 seconds and reload", restart.visitor().get(1).title());
        Verdict gone = judge(every(List.of("eu"), (r, x) -> error(r, x, null, ErrorClass.DNS_NXDOMAIN)));
        assertEquals("Check back later", gone.visitor().get(1).title());
        // down for everyone: no DNS switching or cache flushing, which cannot help
        for (Verdict v : List.of(restart, gone)) {
            assertTrue(v.visitor().stream().noneMatch(s -> s.title().contains("DNS")), v.visitor().toString());
        }
    }

    @Test
    void theVisitorIsToldWhichResolversWorkWithTheCommandsToSwitchAndFlushPerSystem() {
        Verdict v = judge(every(List.of("eu"), (r, x) -> x.equals("system") || x.equals("8.8.8.8")
                ? error(r, x, "127.0.0.2", ErrorClass.CONNECT_REFUSED) : ok(r, x, "127.0.0.1")));
        assertEquals(Finding.DOWN_VIA_RESOLVERS, v.finding());
        Step sw = v.visitor().get(0);
        assertEquals("Switch your DNS to 1.1.1.1 (Cloudflare) or 9.9.9.9 (Quad9)", sw.title());
        assertTrue(sw.text().contains("send visitors to 127.0.0.1, which works; 8.8.8.8 and system send them to 127.0.0.2, which fails"),
                sw.text());
        assertTrue(sw.commands().stream().anyMatch(c -> c.where().equals("macOS") && c.line().equals("networksetup -setdnsservers Wi-Fi 1.1.1.1 9.9.9.9")));
        Step flush = v.visitor().get(1);
        assertEquals("Flush your DNS cache", flush.title());
        assertTrue(flush.commands().stream().anyMatch(c -> c.line().equals("ipconfig /flushdns")));
    }

    @Test
    void resolversThatWorkButAreNotPublicAreNamedWithoutPromisingThatAPublicOneWorks() {
        List<C> checks = List.of(error("eu", "127.0.0.53:5353", "127.0.0.2", ErrorClass.CONNECT_REFUSED), ok("eu", "127.0.0.54:5353", "127.0.0.1"));
        Verdict v = judge(checks);
        assertEquals(Finding.DOWN_VIA_RESOLVERS, v.finding());
        assertEquals("Switch to a DNS resolver that points to a working address", v.visitor().get(0).title());
        assertTrue(v.visitor().get(0).text().contains("was not among those checked"), v.visitor().get(0).text());
    }

    @Test
    void whileRegionsAreOutTheVerdictSaysSoFarAndNamesThemAndAfterTheDeadlineNamesThoseThatDidNotAnswer() {
        List<C> eu = every(List.of("eu"), (r, x) -> ok(r, x, "127.0.0.1"));
        Verdict pending = judge(eu, List.of("eu", "us"), false, null);
        assertTrue(pending.headline().startsWith("So far: Up for everyone"), pending.headline());
        assertEquals(List.of("us"), pending.waiting());
        assertTrue(pending.silent().isEmpty());
        Verdict late = judge(eu, List.of("eu", "us"), true, null);
        assertTrue(late.headline().startsWith("Up for everyone"), late.headline());
        assertEquals(List.of("us"), late.silent());
        assertTrue(late.waiting().isEmpty());
    }

    @Test
    void withoutAnyCheckItIsCheckingUntilTheDeadlineAndThenSaysNothingIsKnown() {
        assertEquals(Finding.CHECKING, judge(List.of(), List.of("eu"), false, null).finding());
        Verdict none = judge(List.of(), List.of("eu"), true, null);
        assertEquals(Finding.NO_ANSWER, none.finding());
        assertEquals(List.of("eu"), none.silent());
        assertTrue(none.visitor().isEmpty() && none.owner().isEmpty());
        assertNull(none.cause());
    }

    @Test
    void anOwnersDeploymentInProgressExplainsARestartKindOfFailureAndComesFirst() {
        Deployment deploy = new Deployment(7, AT.minusSeconds(40), null, null);
        Verdict v = judge(every(List.of("eu"), (r, x) -> status(r, x, "127.0.0.1", 502, NGINX_502)), List.of("eu"), true, deploy);
        assertTrue(v.cause().contains("Deployment #7 is in progress (started 40 s ago): its restart explains this."), v.cause());
        assertEquals("Let the deployment finish", v.owner().get(0).title());
        // a failure no restart gives is not put on the deployment
        Verdict gone = judge(every(List.of("eu"), (r, x) -> error(r, x, null, ErrorClass.DNS_NXDOMAIN)), List.of("eu"), true, deploy);
        assertFalse(gone.cause().contains("Deployment"), gone.cause());
    }

    @Test
    void anErrorThroughACdnTellsTheOwnerToPurgeItsCacheAndATimeoutToScaleOrRaiseTheProxysTimeouts() {
        EdgeInfo cf = new EdgeInfo("cloudflare", "FRA", "8a1b-FRA", "cloudflare", ErrorSource.EDGE, "cloudflare");
        Verdict v = judge(every(List.of("eu"), (r, x) -> status(r, x, "127.0.0.1", 524, cf)));
        String owner = v.owner().stream().map(Step::title).collect(Collectors.joining(" | "));
        assertTrue(owner.contains("Purge the CDN's cached error"), owner);
        assertTrue(owner.contains("If it is load, give it room"), owner);
        assertTrue(v.layer().startsWith("Cloudflare's edge answered 524"), v.layer());
    }
}
