package dev.gatewatch.support.browser;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.TestInfo;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

/**
 * One headless Debian chromium driven by Playwright, shared by the tests of a class (launch it in {@code @BeforeAll},
 * close it in {@code @AfterAll}); each test opens its own {@link Tab}, a fresh browser context with no cookies.
 * The browser is {@code /usr/bin/chromium} from {@code src/test/e2e/install-tools.sh}: Playwright never downloads one.
 * Host names other than localhost do not resolve inside this browser, and tabs refuse requests that leave loopback.
 */
public final class BrowserSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BrowserSession.class);

    /** Debian's chromium, installed by the build (src/test/e2e/install-tools.sh). */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Where tabs save screenshots and failure pages: one folder per test. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /**
     * As root in a container chromium needs no sandbox and no GPU; the rest keep it from calling Google's hosts
     * (updates, sync, field trials, QUIC probes), and the resolver rule makes any other host name fail at once.
     */
    static final List<String> FLAGS = List.of(
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
            "--disable-field-trial-config", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost");

    private final Playwright playwright;
    private final Browser browser;
    private final Duration launchTime;

    private BrowserSession(Playwright playwright, Browser browser, Duration launchTime) {
        this.playwright = playwright;
        this.browser = browser;
        this.launchTime = launchTime;
    }

    /** Starts Playwright's driver and one headless chromium. */
    public static BrowserSession launch() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: run src/test/e2e/install-tools.sh first "
                    + "(the README's test command does)");
        }
        long start = System.nanoTime();
        // Also set here, not only in the surefire configuration, so a test started from an IDE never downloads a browser.
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setChromiumSandbox(false)
                    .setArgs(FLAGS)
                    .setTimeout(60_000));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.infof("chromium %s launched in %d ms", browser.version(), took.toMillis());
            return new BrowserSession(playwright, browser, took);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A fresh tab on {@code baseUrl}, saving into {@code target/screenshots/<name>/}. */
    public Tab open(URI baseUrl, String name, View view) {
        return Tab.open(browser, baseUrl, SCREENSHOTS.resolve(name), view);
    }

    /** A fresh tab named after the running test: {@code target/screenshots/<TestClass>/<testMethod>/}. */
    public Tab open(URI baseUrl, TestInfo test, View view) {
        return open(baseUrl, nameOf(test), view);
    }

    public static String nameOf(TestInfo test) {
        String cls = test.getTestClass().map(Class::getSimpleName).orElse("test");
        return test.getTestMethod().map(m -> cls + "/" + m.getName()).orElse(cls);
    }

    /** Browser build, e.g. {@code 156.0.8078.79}. */
    public String version() {
        return browser.version();
    }

    /** Driver start plus chromium launch. */
    public Duration launchTime() {
        return launchTime;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
