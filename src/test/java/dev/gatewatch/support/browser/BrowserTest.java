package dev.gatewatch.support.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of browser test classes: one chromium for the class. A base class rather than a JUnit extension, because
 * extensions on {@code @QuarkusTest} classes can run as two copies with separate state.
 */
@Tag("e2e") // needs nginx, dnsmasq, chromium or network namespaces (src/test/e2e/install-tools.sh): ./mvnw verify
public abstract class BrowserTest {

    protected static BrowserSession browser;

    /** The tab the test opened with {@link #open}, closed after it. */
    protected Tab tab;

    /** A tab for this test: after it, any request that left loopback (all refused) or script error fails the test. */
    protected Tab open(URI root, TestInfo test, View view) {
        tab = browser.open(root, test, view);
        return tab;
    }

    @AfterEach
    void closeTab() {
        if (tab != null) {
            List<String> off = tab.offLoopbackRequests();
            List<String> errors = tab.scriptErrors();
            tab.close();
            tab = null;
            assertEquals(List.of(), off, "requests off loopback (all refused)");
            assertEquals(List.of(), errors, "script errors");
        }
    }

    @BeforeAll
    static void launchBrowser() {
        browser = BrowserSession.launch();
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
