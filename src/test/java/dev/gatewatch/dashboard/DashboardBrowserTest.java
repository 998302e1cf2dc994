package dev.gatewatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page.GetByRoleOptions;
import com.microsoft.playwright.Page.WaitForSelectorOptions;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;

import dev.gatewatch.check.CheckerProfile;
import dev.gatewatch.support.Owners;
import dev.gatewatch.support.browser.BrowserSession;
import dev.gatewatch.support.browser.BrowserTest;
import dev.gatewatch.support.browser.Tab;
import dev.gatewatch.support.browser.View;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The owner's story in a real chromium, with the checker and analyzer running: sign up, add a monitor through the form
 * against a local server, watch the list turn it "Up" without a reload, stop the server, watch the outage appear with
 * its classification, read it on the monitor page, publish a status page and open it as a visitor, who then sees the
 * recovery without reloading. Screenshots of
 * every step go to {@code target/screenshots/DashboardBrowserTest/}.
 */
@QuarkusTest
@TestProfile(DashboardBrowserTest.Profile.class)
class DashboardBrowserTest extends BrowserTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new CheckerProfile().getConfigOverrides());
            config.put("gatewatch.roles", "api,checker,analyzer");
            config.put("gatewatch.checker.region", "browser");
            return config;
        }
    }


    @TestHTTPResource("/")
    URL root;

    private HttpServer site;

    /** The owner's site: answers 200 to everything, on {@code port} (0: any). */
    private static HttpServer serve(int port) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body = "shop is fine".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void signUpMonitorOutageAndPublicStatusPage(TestInfo test) throws Exception {
        site = serve(0);
        int port = site.getAddress().getPort();
        String url = "http://127.0.0.1:" + port + "/health";
        try (Tab tab = browser.open(root.toURI(), test, View.desktop())) {
            String email = "story-" + UUID.randomUUID() + "@example.com";
            tab.go("/signup");
            tab.page().getByLabel("E-mail").fill(email);
            tab.page().getByLabel("Password").fill("long-enough-password");
            tab.page().getByRole(AriaRole.BUTTON, new GetByRoleOptions().setName("Sign up")).click();
            tab.waitForPath("/login?registered=1");
            tab.page().getByLabel("E-mail").fill(email);
            tab.page().getByLabel("Password").fill("long-enough-password");
            tab.page().getByRole(AriaRole.BUTTON, new GetByRoleOptions().setName("Log in")).click();
            tab.waitForPath("/");
            tab.screenshot("01-empty-list");

            // Add a monitor through the form.
            tab.page().getByRole(AriaRole.LINK, new GetByRoleOptions().setName("Add a monitor").setExact(true)).first().click();
            tab.waitForPath("/monitors/new");
            assertEquals(List.of(), tab.unlabelledControls(), "unlabelled controls on the monitor form");
            tab.page().getByLabel("Name", new com.microsoft.playwright.Page.GetByLabelOptions().setExact(true)).fill("Shop");
            tab.page().getByLabel("URL", new com.microsoft.playwright.Page.GetByLabelOptions().setExact(true)).fill(url);
            tab.page().getByLabel("Check every (seconds)").fill("2");
            tab.page().getByLabel("Timeout (ms)").fill("1000");
            tab.page().getByLabel("Alert after failing for (s)").fill("15");
            // Only the checker's own resolver: public resolvers are refused in tests (no traffic off the machine).
            tab.page().getByLabel("System resolver (the checker's own)").check();
            tab.page().getByLabel("1.1.1.1").uncheck();
            tab.page().getByLabel("8.8.8.8").uncheck();
            tab.screenshot("02-monitor-form");
            tab.page().getByRole(AriaRole.BUTTON, new GetByRoleOptions().setName("Add monitor")).click();
            tab.step("monitor page after saving", () -> tab.page().waitForURL(Pattern.compile("/monitors/\\d+$")));
            Matcher id = Pattern.compile("/monitors/(\\d+)$").matcher(tab.page().url());
            assertTrue(id.find());
            String row = "tr[data-monitor='" + id.group(1) + "']";

            // The list turns it "Up" by itself: htmx polling, no reload.
            tab.go("/");
            assertEquals(List.of(), tab.unlabelledControls(), "unlabelled controls on the monitor list");
            tab.page().evaluate("window.reloadMarker = 'still the same page'");
            tab.step("monitor up without a reload", () -> tab.page().waitForSelector(row + "[data-state='up']",
                    new WaitForSelectorOptions().setTimeout(45_000)));
            assertEquals("still the same page", tab.page().evaluate("window.reloadMarker"));
            tab.screenshot("03-list-up");

            // Stop the site: the outage appears with its classification, again without a reload.
            site.stop(0);
            tab.step("outage appears", () -> tab.page().waitForSelector(row + "[data-state='down']",
                    new WaitForSelectorOptions().setTimeout(90_000)));
            Locator shop = tab.page().locator(row);
            assertTrue(shop.innerText().contains("Outage"), shop.innerText());
            assertTrue(shop.locator(".pill").innerText().contains("Down"), shop.innerText());
            assertEquals("still the same page", tab.page().evaluate("window.reloadMarker"));
            tab.screenshot("04-list-outage");

            // The monitor page explains it.
            shop.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Shop")).click();
            tab.waitForPath("/monitors/" + id.group(1));
            tab.step("incident on the monitor page", () -> assertTrue(tab.page().locator("main").innerText().contains("Outage"),
                    tab.page().locator("main").innerText()));
            tab.screenshot("05-monitor-page");

            // Publish a status page and open it as a visitor would.
            tab.page().getByRole(AriaRole.LINK, new GetByRoleOptions().setName("Status page")).click();
            tab.waitForPath("/status-page");
            assertEquals(List.of(), tab.unlabelledControls(), "unlabelled controls on the status page settings");
            String slug = "story-" + UUID.randomUUID().toString().substring(0, 8);
            tab.page().getByLabel("Address", new com.microsoft.playwright.Page.GetByLabelOptions().setExact(true)).fill(slug);
            tab.page().getByLabel("Title", new com.microsoft.playwright.Page.GetByLabelOptions().setExact(true)).fill("Shop status");
            tab.page().getByLabel("Page is public").check();
            tab.page().locator("#show-" + id.group(1)).check();
            tab.page().locator("#group-" + id.group(1)).fill("Website");
            tab.page().getByRole(AriaRole.BUTTON, new GetByRoleOptions().setName("Save status page")).click();
            tab.waitForPath("/status-page?saved=1");
            tab.screenshot("06-status-page-settings");
            tab.page().locator("#public-link").click();
            tab.waitForPath("/status/" + slug);
            tab.step("public page shows the outage", () -> {
                assertEquals("Major outage", tab.page().locator("h1").innerText());
                String text = tab.page().locator("main").innerText();
                assertTrue(text.contains("Website") && text.contains("Shop") && text.contains("major outage"), text);
                assertTrue(!text.contains("127.0.0.1") && !text.contains("system"), "no internals: " + text);
            });
            assertEquals(90, tab.page().locator(".strip span").count(), "a 90-day strip");
            tab.screenshot("07-public-status-page");

            // The site comes back: the open status page says so by itself (it refreshes every minute), no reload.
            tab.page().evaluate("window.reloadMarker = 'the visitor never reloaded'");
            site = serve(port);
            tab.step("public page shows the recovery", () -> tab.page().waitForSelector("h1:text-is('All systems operational')",
                    new WaitForSelectorOptions().setTimeout(150_000)));
            assertEquals("the visitor never reloaded", tab.page().evaluate("window.reloadMarker"));
            String recovered = tab.page().locator("main").innerText();
            assertTrue(recovered.contains("Outage: Shop") && recovered.contains("Resolved after"), recovered);
            tab.screenshot("08-public-status-page-recovered");
            assertEquals(List.of(), tab.offLoopbackRequests(), "requests off loopback");
            assertEquals(List.of(), tab.scriptErrors(), "script errors");
        } finally {
            site.stop(0);
        }
    }

    @Test
    void statusPageAndListReadWellNarrowAndDark(TestInfo test) throws Exception {
        dev.gatewatch.support.Owners.TestOwner owner = dev.gatewatch.support.Owners.create();
        long id = ((Number) owner.api().body("{\"name\":\"Narrow shop with a long name\",\"url\":\"http://127.0.0.1:9/a/very/long/path/that/should/wrap/nicely\",\"resolvers\":[\"system\"]}")
                .post("/api/v1/monitors").then().statusCode(201).extract().path("id")).longValue();
        String slug = "narrow-" + UUID.randomUUID().toString().substring(0, 8);
        owner.api().body("{\"slug\":\"" + slug + "\",\"title\":\"Narrow status\",\"enabled\":true,\"groups\":[{\"name\":\"Web\",\"monitors\":[{\"monitorId\":"
                + id + "}]}]}").put("/api/v1/status-page").then().statusCode(200);
        for (View view : List.of(View.narrow(), View.narrow().dark(), View.desktop().dark())) {
            try (Tab tab = browser.open(root.toURI(), BrowserSession.nameOf(test) + "-" + view.width() + "-" + view.colorScheme(), view)) {
                tab.go("/status/" + slug);
                assertEquals(0, tab.horizontalOverflow(), "status page scrolls sideways at " + view);
                tab.screenshot("status-page");
                tab.page().context().addCookies(List.of(new com.microsoft.playwright.options.Cookie(Owners.SESSION, owner.session())
                        .setUrl(root.toString())));
                tab.go("/");
                assertEquals(0, tab.horizontalOverflow(), "monitor list scrolls sideways at " + view);
                if (view.colorScheme() == com.microsoft.playwright.options.ColorScheme.DARK) {
                    assertTrue(tab.backgroundLuminance() < 0.05, "dark background");
                }
                tab.screenshot("monitor-list");
            }
        }
    }

    @Test
    void aPollAfterTheSessionExpiredGoesToTheLoginPage(TestInfo test) throws Exception {
        dev.gatewatch.support.Owners.TestOwner owner = dev.gatewatch.support.Owners.create();
        owner.api().body("{\"name\":\"Expiring\",\"url\":\"http://127.0.0.1:9/\",\"resolvers\":[\"system\"]}").post("/api/v1/monitors")
                .then().statusCode(201);
        try (Tab tab = browser.open(root.toURI(), test, View.desktop())) {
            tab.page().context().addCookies(List.of(new com.microsoft.playwright.options.Cookie(Owners.SESSION, owner.session())
                    .setUrl(root.toString())));
            tab.go("/");
            tab.waitFor("#monitor-table");
            tab.page().context().clearCookies(); // as if the session ran out
            tab.step("the next poll leads to the login page", () -> tab.page().waitForURL(Pattern.compile("/login$"),
                    new com.microsoft.playwright.Page.WaitForURLOptions().setTimeout(30_000)));
            assertEquals(0, tab.page().locator("#monitor-table").count(), "a whole login page, not a form inside the table");
            tab.screenshot("login-after-expiry");
        }
    }
}
