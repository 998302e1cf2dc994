package dev.gatewatch.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.microsoft.playwright.Page.GetByRoleOptions;
import com.microsoft.playwright.options.AriaRole;

import dev.gatewatch.support.browser.BrowserTest;
import dev.gatewatch.support.browser.View;
import dev.gatewatch.support.e2e.Backend;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The diagnosis page in a real chromium, as a visitor without an account uses it: the form, the page filling in as
 * the checker answers (htmx), the verdict and the steps for each audience, a site that is up and then one that is
 * down, on a desktop and on a phone-width screen without sideways scrolling. Screenshots land in
 * {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(DiagnosisEndToEndTest.Profile.class)
class DiagnosisBrowserTest extends BrowserTest {

    private static Backend site;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void target() {
        // the one port besides 80/443 that the profile lets anonymous diagnoses reach
        site = Backend.start("127.0.0.1", Integer.getInteger(DiagnosisEndToEndTest.WEB_PORT));
    }

    @AfterAll
    static void stopTarget() {
        site.close();
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    @org.junit.jupiter.api.BeforeEach
    void onlyThisChecker() {
        // nodes other test apps left in the same database are not asked
        dev.gatewatch.api.Sql.update(dataSource, "update checker_node set stopped_at = now() where region <> 'test' and stopped_at is null");
    }

    @AfterEach
    void leaveTheLimitToOthers() {
        // the anonymous rate limit of this profile is small: leave it to the other tests
        dev.gatewatch.api.Sql.update(dataSource, "delete from diagnosis where owner_id is null");
    }

    private void diagnose(String url, String finding) {
        tab.go("/diagnose");
        assertEquals(List.of(), tab.unlabelledControls(), "controls without an accessible name on /diagnose");
        tab.page().getByLabel("Address of the page").fill(url);
        tab.page().getByRole(AriaRole.BUTTON, new GetByRoleOptions().setName("Check it now")).click();
        tab.step("the diagnosis page", () -> tab.page().waitForURL(Pattern.compile(".*/diagnose/[0-9a-f-]{36}$")));
        tab.waitFor("[data-finding=" + finding + "][data-complete=true]");
    }

    @Test
    void aVisitorDiagnosesASiteThatIsUpAndThenOneThatIsDown(TestInfo test) throws Exception {
        open(root.toURI(), test, View.desktop());
        site.ok();
        String base = "http://127.0.0.1:" + site.port() + "/";
        diagnose(base + "?browser-up", "up");
        String headline = tab.page().locator(".verdict h2").innerText();
        assertTrue(headline.startsWith("Up for everyone"), headline);
        assertTrue(tab.page().locator("#visitor-steps").innerText().contains("It works from here"), "the visitor's steps");
        assertEquals(1, tab.page().locator("table.checks tbody tr").count(), "one check: one region, one resolver");
        assertTrue(tab.page().locator("ul.regions").innerText().contains("answered"));
        tab.screenshot("diagnosis-up");

        site.stop();
        diagnose(base + "?browser-down", "down_everywhere");
        String visitor = tab.page().locator("#visitor-steps").innerText();
        assertTrue(visitor.contains("It's not you"), visitor);
        assertTrue(visitor.contains("Wait 30–60 seconds and reload"), visitor);
        assertTrue(tab.page().locator("#owner-steps").innerText().contains("Start here"), "the owner's steps");
        // the visitor's steps come first for a page anyone may see
        assertTrue((Boolean) tab.eval("document.querySelector('#visitor-steps').compareDocumentPosition(document.querySelector('#owner-steps')) "
                + "& Node.DOCUMENT_POSITION_FOLLOWING ? true : false"), "visitor before owner");
        assertEquals("connect refused", tab.page().locator("table.checks tbody tr td:nth-child(4)").innerText());
        tab.screenshot("diagnosis-down");
        site.start();
    }

    @Test
    void onAPhoneThePageDoesNotScrollSideways(TestInfo test) throws Exception {
        open(root.toURI(), test, View.narrow());
        site.stop();
        diagnose("http://127.0.0.1:" + site.port() + "/?browser-phone", "down_everywhere");
        tab.eval("document.querySelectorAll('details').forEach(d => d.open = true)");
        tab.screenshot("diagnosis-phone");
        assertEquals(0, tab.horizontalOverflow(), "CSS px wider than the phone");
        site.start();
    }
}
