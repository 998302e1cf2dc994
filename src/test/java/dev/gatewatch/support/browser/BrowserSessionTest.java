package dev.gatewatch.support.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.microsoft.playwright.PlaywrightException;

/**
 * The browser helper on its own (plain JUnit, no app): the loopback guard refuses and reports a page's request to
 * another host, a failed wait leaves the page behind as PNG and HTML, and the pure pieces work.
 * No page here loads anything from a server: content is set directly, and its one outside URL is refused in the browser.
 */
class BrowserSessionTest extends BrowserTest {

    /** Nothing listens here; the pages below never load from it. */
    private static final URI NOWHERE = URI.create("http://127.0.0.1:9/");


    @Test
    void requestsOffLoopbackAreRefusedAndReported(TestInfo test) {
        try (Tab tab = browser.open(NOWHERE, test, View.desktop())) {
            tab.page().setContent("<img alt='' src='https://cdn.example.com/pixel.png'><p>hi</p>");
            tab.page().waitForFunction("document.images[0].complete");
            assertEquals(List.of("GET https://cdn.example.com/pixel.png"), tab.offLoopbackRequests());
        }
    }

    @Test
    void aFailedWaitLeavesThePageBehind(TestInfo test) throws Exception {
        try (Tab tab = browser.open(NOWHERE, test, View.narrow())) {
            tab.page().setContent("<h1>Not what the test waits for</h1>");
            tab.page().setDefaultTimeout(300);
            PlaywrightException e = assertThrows(PlaywrightException.class, () -> tab.waitFor("#never"));
            Path folder = BrowserSession.SCREENSHOTS.resolve(BrowserSession.nameOf(test));
            Path html = folder.resolve("wait-for-never-failed.html");
            assertTrue(Files.isRegularFile(folder.resolve("wait-for-never-failed.png")), List.of(e.getSuppressed()).toString());
            assertTrue(Files.readString(html).contains("Not what the test waits for"));
            assertTrue(e.getSuppressed()[0].getMessage().contains(html.toString()), e.getSuppressed()[0].getMessage());
        }
    }

    @Test
    void viewsSetViewportAndColourScheme(TestInfo test) {
        try (Tab tab = browser.open(NOWHERE, test, View.narrow().dark())) {
            tab.page().setContent("<p>x</p>");
            assertEquals(390, ((Number) tab.eval("window.innerWidth")).intValue());
            assertEquals(Boolean.TRUE, tab.eval("matchMedia('(prefers-color-scheme: dark)').matches"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://localhost:8081/channels   | true",
        "http://127.0.0.1:8081/           | true",
        "http://127.0.0.2/x               | true",
        "http://[::1]:8081/               | true",
        "data:image/png;base64,AAAA       | true",
        "about:blank                      | true",
        "https://cdn.example.com/htmx.js  | false",
        "http://10.0.0.1/                 | false",
        "http://localhost.example.com/    | false",
        "http://127.0.0.1.example.com/    | false",
        "ws://example.com/socket          | false",
    })
    void loopbackOrNot(String url, boolean local) {
        assertEquals(local, Tab.isLocal(url), url);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rgb(0, 0, 0)          | 0.0",
        "rgb(255, 255, 255)    | 1.0",
        "rgb(15, 18, 22)       | 0.0059",
        "rgb(247, 248, 250)    | 0.9381",
        "rgba(255, 0, 0, 0.5)  | 0.2126",
    })
    void luminance(String colour, double expected) {
        assertEquals(expected, Tab.luminance(colour), 0.0001, colour);
    }

    @Test
    void stepNamesBecomeFileNames() {
        assertEquals("go-channels", Tab.fileName("go /channels"));
        assertEquals("wait-for-login-registered-1", Tab.fileName("wait for /login?registered=1"));
        assertEquals("step", Tab.fileName("///"));
    }
}
