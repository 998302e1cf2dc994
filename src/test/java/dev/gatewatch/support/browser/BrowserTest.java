package dev.gatewatch.support.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Base of browser test classes: one chromium for the class. A base class rather than a JUnit extension, because
 * extensions on {@code @QuarkusTest} classes can run as two copies with separate state.
 */
@Tag("e2e") // needs nginx, dnsmasq, chromium or network namespaces (src/test/e2e/install-tools.sh): ./mvnw verify
public abstract class BrowserTest {

    protected static BrowserSession browser;

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
