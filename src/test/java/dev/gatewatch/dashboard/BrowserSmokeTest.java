package dev.gatewatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page.GetByRoleOptions;
import com.microsoft.playwright.options.AriaRole;

import dev.gatewatch.dashboard.model.Times;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.Owners.TestOwner;
import dev.gatewatch.support.Receiver;
import dev.gatewatch.support.browser.BrowserSession;
import dev.gatewatch.support.browser.BrowserTest;
import dev.gatewatch.support.browser.Tab;
import dev.gatewatch.support.browser.View;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every page in a real chromium: sign-up and login through the forms, keyboard-only navigation (an incident's
 * evidence opened from the keyboard too), labels on every form control, a phone-width viewport without sideways
 * scrolling, the dark scheme, times in the browser's zone, the bundled htmx loaded, and nothing fetched from off the
 * machine. Screenshots land in {@code target/screenshots/}.
 */
@QuarkusTest
class BrowserSmokeTest extends BrowserTest {

    /** A page and the name its screenshots go under. */
    record Screen(String path, String name) {
    }

    /** Every page a signed-in owner reaches, a busy monitor's own page and forms among them. */
    private static List<Screen> signedIn(long monitorId) {
        return List.of(new Screen("/", "monitors"), new Screen("/monitors/" + monitorId, "monitor-page"),
                new Screen("/monitors/" + monitorId + "/edit", "monitor-edit"), new Screen("/monitors/new", "monitor-new"),
                new Screen("/channels", "channels"), new Screen("/maintenance", "maintenance"),
                new Screen("/account/tokens", "tokens"), new Screen("/regions", "regions"),
                new Screen("/status-page", "status-page-settings"));
    }

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL root;

    private Tab open(TestInfo test, View view) throws Exception {
        return open(root.toURI(), test, view);
    }

    @Test
    void signUpLogInAndAddASlackChannel(TestInfo test) throws Exception {
        open(test, View.desktop());
        String email = "browser-" + UUID.randomUUID() + "@example.com";

        tab.go("/signup");
        assertLabelled("signup");
        tab.screenshot("signup");
        tab.page().getByLabel("E-mail").fill(email);
        tab.page().getByLabel("Password").fill("long-enough-password");
        tab.page().getByRole(AriaRole.BUTTON, new GetByRoleOptions().setName("Sign up")).click();
        tab.waitForPath("/login?registered=1");
        tab.waitFor("p.notice");
        tab.screenshot("login-registered");

        logIn(email, "long-enough-password");
        assertHtmxLoaded("monitors");
        tab.step("monitor list heading", () -> assertEquals("Monitors", tab.page().locator("h1").innerText()));
        tab.screenshot("monitors");

        tab.page().getByRole(AriaRole.LINK, new GetByRoleOptions().setName("Alert channels")).click();
        tab.waitForPath("/channels");
        assertLabelled("channels");
        tab.screenshot("channels");

        try (Receiver slack = new Receiver()) {
            tab.page().getByLabel("Type").selectOption("slack");
            tab.page().getByLabel("Name").fill("#ops");
            tab.page().getByLabel("Incoming webhook URL").fill(slack.url("/services/T0/B0/x"));
            tab.page().getByRole(AriaRole.BUTTON, new GetByRoleOptions().setName("Add channel")).click();
            tab.step("saved channel page", () -> tab.page().waitForURL(Pattern.compile("/channels/\\d+\\?saved=1$")));
            assertLabelled("channel-saved");
            tab.screenshot("channel-saved");

            tab.page().locator("#send-test").click();
            Locator result = tab.waitFor("#test-result");
            tab.step("test alert delivered", () -> {
                assertTrue(result.innerText().contains("Test alert delivered."), result.innerText());
                assertEquals(1, slack.requests().size(), "requests at the Slack receiver");
            });
            tab.screenshot("channel-tested");
        }
    }

    @Test
    void keyboardAloneLogsInAndFollowsTheNavigation(TestInfo test) throws Exception {
        TestOwner owner = Owners.create();
        open(test, View.desktop());
        tab.go("/login");
        tab.step("e-mail field has the focus", () -> tab.page().waitForFunction("document.activeElement?.id === 'email'"));
        tab.page().keyboard().type(owner.email());
        tab.page().keyboard().press("Tab");
        assertEquals("input#password", tab.focused());
        tab.page().keyboard().type(owner.password());
        tab.page().keyboard().press("Enter");
        tab.waitForPath("/");

        // From the top of the page, Tab until the navigation's "Alert channels" link has the focus.
        List<String> visited = new ArrayList<>();
        for (int i = 0; i < 10 && !tab.focused().equals("a[href=/channels]"); i++) {
            tab.page().keyboard().press("Tab");
            visited.add(tab.focused());
        }
        assertEquals("a[href=/channels]", tab.focused(), "focus went through " + visited);
        assertTrue(tab.focusVisible(), "the focused link shows a :focus-visible outline");
        tab.screenshot("focus-on-alert-channels");
        tab.page().keyboard().press("Enter");
        tab.waitForPath("/channels");
        tab.screenshot("channels-by-keyboard");
    }

    @Test
    void phoneWidthPagesDoNotScrollSideways(TestInfo test) throws Exception {
        TestOwner owner = Owners.create();
        long id = busyMonitor(owner);
        open(test, View.narrow());

        Map<String, Integer> overflow = new LinkedHashMap<>();
        for (String path : List.of("/signup", "/login")) {
            tab.go(path);
            tab.screenshot(path.substring(1));
            overflow.put(path, tab.horizontalOverflow());
        }
        logIn(owner.email(), owner.password());
        for (Screen screen : signedIn(id)) {
            tab.go(screen.path());
            assertHtmxLoaded(screen.name());
            tab.eval("document.querySelectorAll('details').forEach(d => d.open = true)"); // evidence tables too
            tab.screenshot(screen.name());
            overflow.put(screen.path(), tab.horizontalOverflow());
            assertEquals(List.of(), tab.unlabelledControls(), "controls without an accessible name on " + screen.path());
        }
        overflow.values().removeIf(px -> px == 0);
        assertEquals(Map.of(), overflow, "pages wider than 390 px (CSS px too wide; see target/screenshots/"
                + BrowserSession.nameOf(test) + ")");
    }

    @Test
    void darkSchemeDarkensEveryPage(TestInfo test) throws Exception {
        TestOwner owner = Owners.create();
        long id = busyMonitor(owner);
        open(test, View.desktop().dark());

        tab.go("/login");
        tab.screenshot("login-dark");
        assertDark("/login");
        logIn(owner.email(), owner.password());
        for (Screen screen : signedIn(id)) {
            tab.go(screen.path());
            tab.screenshot(screen.name() + "-dark");
            assertDark(screen.path());
        }
    }

    @Test
    void keyboardOpensAnIncidentsEvidenceOnTheMonitorPage(TestInfo test) throws Exception {
        TestOwner owner = Owners.create();
        long id = busyMonitor(owner);
        open(test, View.desktop());
        logIn(owner.email(), owner.password());
        tab.go("/monitors/" + id);
        Locator partial = tab.page().locator("[data-kind=partial]");
        assertTrue(!partial.locator("details").evaluate("d => d.open").equals(Boolean.TRUE), "evidence starts folded");
        // Tab from the top until the partial outage's "Explanation and evidence" has the focus, then open it with Enter.
        boolean reached = false;
        for (int i = 0; i < 80 && !reached; i++) {
            tab.page().keyboard().press("Tab");
            reached = Boolean.TRUE.equals(partial.locator("summary").evaluate("s => s === document.activeElement"));
        }
        assertTrue(reached, "Tab never reached the partial outage's evidence");
        assertTrue(tab.focusVisible(), "the focused summary shows a :focus-visible outline");
        tab.page().keyboard().press("Enter");
        tab.step("evidence shown", () -> {
            String text = partial.innerText();
            for (String evidence : List.of("nginx at the origin answered 502", "1.1.1.1: 127.0.0.3", "AMS", "us-east")) {
                assertTrue(text.contains(evidence), evidence + " in " + text);
            }
        });
        tab.screenshot("evidence-open");
    }

    @Test
    void timesShowInTheBrowsersTimeZoneWithUtcInTheirTooltip(TestInfo test) throws Exception {
        TestOwner owner = Owners.create();
        long id = busyMonitor(owner);
        String slug = "tz-" + UUID.randomUUID().toString().substring(0, 8);
        owner.api().body("{\"slug\":\"" + slug + "\",\"title\":\"Zones\",\"enabled\":true,\"groups\":[{\"name\":\"Web\",\"monitors\":[{\"monitorId\":"
                + id + "}]}]}").put("/api/v1/status-page").then().statusCode(200);
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        DateTimeFormatter local = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss zzz", Locale.UK).withZone(berlin);
        open(test, View.desktop().inZone(berlin.getId()));
        logIn(owner.email(), owner.password());
        for (String path : List.of("/monitors/" + id, "/status/" + slug)) {
            tab.go(path);
            Locator time = tab.page().locator("article time, [data-kind=partial] time").first();
            Instant at = Instant.parse(time.getAttribute("datetime"));
            tab.step("local time on " + path, () -> {
                assertEquals(local.format(at), time.innerText(), "shown in Berlin time");
                assertEquals(Times.utc(at), time.getAttribute("title"), "UTC in the tooltip");
            });
        }
        assertEquals("Times are in your time zone (Europe/Berlin); hover over one for UTC.",
                tab.page().locator("[data-times-note]").innerText());
        tab.screenshot("status-page-berlin");
    }

    @Test
    void lightSchemeStaysLight(TestInfo test) throws Exception {
        open(test, View.desktop().light());
        tab.go("/login");
        double luminance = tab.backgroundLuminance();
        assertTrue(luminance > 0.8, "light background luminance " + luminance);
    }

    /** A monitor with a busy page: charts per region and resolver, a deployment, incidents with evidence. */
    private long busyMonitor(TestOwner owner) {
        // A long URL, so the monitor table is on the page too and has to wrap it.
        long id = ((Number) owner.api().body("{\"name\":\"Shop\",\"url\":\"http://127.0.0.1:9/a/rather/long/path/that/might/push/the/table/wider?x=1\"}")
                .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MonitorPageTest.seed(dataSource, id, now);
        owner.api().body("{\"monitorIds\":[" + id + "],\"version\":\"v9.8.7\",\"startedAt\":\"" + now.minusSeconds(3000) + "\"}")
                .post("/api/v1/deployments").then().statusCode(201);
        return id;
    }

    private void logIn(String email, String password) {
        tab.go("/login");
        tab.page().getByLabel("E-mail").fill(email);
        tab.page().getByLabel("Password").fill(password);
        tab.page().getByRole(AriaRole.BUTTON, new GetByRoleOptions().setName("Log in")).click();
        tab.waitForPath("/");
    }

    private void assertLabelled(String page) {
        tab.step("labels on " + page, () -> {
            assertTrue(tab.formControls() > 0, "no form controls on " + page);
            assertEquals(List.of(), tab.unlabelledControls(), "controls without an accessible name on " + page);
        });
    }

    private void assertHtmxLoaded(String page) {
        tab.step("htmx on " + page, () -> assertEquals(Boolean.TRUE,
                tab.eval("typeof window.htmx === 'object' && typeof window.htmx.ajax === 'function'"),
                "the bundled app.js did not set window.htmx on " + page));
    }

    private void assertDark(String page) {
        double luminance = tab.backgroundLuminance();
        assertTrue(luminance < 0.05, "dark background expected on " + page + ", luminance " + luminance);
    }
}
