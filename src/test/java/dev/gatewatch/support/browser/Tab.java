package dev.gatewatch.support.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/**
 * One test's browser tab: a fresh context (no cookies, its own {@link View}) whose relative URLs go to the app under
 * test. Requests to any host but loopback are refused and recorded ({@link #offLoopbackRequests()}); script errors
 * are recorded too. {@link #screenshot} saves {@code <step>.png} in this tab's folder under
 * {@code target/screenshots}; a failing {@link #step} or wait saves {@code <step>-failed.png} and {@code .html} there.
 */
public final class Tab implements AutoCloseable {

    /** How long an action or wait may take: short, so a broken page fails fast instead of after 30 s. */
    static final double TIMEOUT_MS = 10_000;

    private static final Set<String> LOOPBACK = Set.of("localhost", "[::1]", "::1");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    private final BrowserContext context;
    private final Page page;
    private final Path folder;
    private final List<String> offLoopback = Collections.synchronizedList(new ArrayList<>());
    private final List<String> scriptErrors = Collections.synchronizedList(new ArrayList<>());

    private Tab(BrowserContext context, Page page, Path folder) {
        this.context = context;
        this.page = page;
        this.folder = folder;
    }

    static Tab open(Browser browser, URI baseUrl, Path folder, View view) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setBaseURL(baseUrl.toString())
                .setViewportSize(view.width(), view.height())
                .setColorScheme(view.colorScheme())
                .setLocale("en-GB")
                .setTimezoneId(view.timeZone()));
        context.setDefaultTimeout(TIMEOUT_MS);
        Tab tab = new Tab(context, context.newPage(), folder);
        // Guard first, then record: the page must never reach past the machine, and the test must hear if it tried.
        context.route(url -> !isLocal(url), route -> {
            tab.offLoopback.add(route.request().method() + " " + route.request().url());
            route.abort("blockedbyclient");
        });
        tab.page.onPageError(error -> tab.scriptErrors.add(error));
        tab.page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                tab.scriptErrors.add(message.text());
            }
        });
        return tab;
    }

    /** True for loopback http(s) and for URLs that never touch the network (data:, blob:, about:). */
    static boolean isLocal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (scheme.equals("data") || scheme.equals("blob") || scheme.equals("about")) {
            return true;
        }
        String host = uri.getHost();
        return host != null && (LOOPBACK.contains(host.toLowerCase()) || IPV4_LOOPBACK.matcher(host).matches());
    }

    /** The Playwright page, for anything this class does not wrap. */
    public Page page() {
        return page;
    }

    /** Loads {@code path} (relative to the app's base URL) and waits for its load event. */
    public Tab go(String path) {
        step("go " + path, () -> page.navigate(path));
        return this;
    }

    /** The current URL's path and query, e.g. {@code /login?registered=1}. */
    public String path() {
        return pathOf(page.url());
    }

    /**
     * Runs one step of a test; if it fails (a Playwright timeout, a failed assertion) the page as it was is saved as
     * {@code <step>-failed.png} and {@code <step>-failed.html}, and the error says where.
     */
    public <T> T step(String step, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException | AssertionError e) {
            String saved = saveFailure(step);
            e.addSuppressed(new AssertionError("page at failure (" + page.url() + "): " + saved));
            throw e;
        }
    }

    public void step(String step, Runnable action) {
        step(step, () -> {
            action.run();
            return null;
        });
    }

    /** Waits until the current URL's path (and query) is {@code path}, e.g. after a form post and its redirect. */
    public Tab waitForPath(String path) {
        step("wait for " + path, () -> page.waitForURL(url -> pathOf(url).equals(path)));
        return this;
    }

    /** Waits until {@code selector} is visible, and returns it. */
    public Locator waitFor(String selector) {
        return step("wait for " + selector, () -> {
            Locator locator = page.locator(selector).first();
            locator.waitFor();
            return locator;
        });
    }

    /** Saves the whole page (not only the viewport) as {@code <step>.png} and returns the file. */
    public Path screenshot(String step) {
        Path file = folder.resolve(fileName(step) + ".png");
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    /** Evaluates a JavaScript expression in the page. */
    public Object eval(String expression) {
        return page.evaluate(expression);
    }

    /** Requests the page tried to send off loopback (method and URL), all of them refused. */
    public List<String> offLoopbackRequests() {
        synchronized (offLoopback) {
            return List.copyOf(offLoopback);
        }
    }

    /** Uncaught script errors and console errors since the tab opened. */
    public List<String> scriptErrors() {
        synchronized (scriptErrors) {
            return List.copyOf(scriptErrors);
        }
    }

    /**
     * Form controls a screen reader would announce without a name: every visible input (but hidden, submit, button),
     * select and textarea needs a {@code <label for>}, an enclosing label, {@code aria-label} or
     * {@code aria-labelledby}. Returned as short descriptions, e.g. {@code input#ch-name}.
     */
    @SuppressWarnings("unchecked")
    public List<String> unlabelledControls() {
        return (List<String>) page.evaluate("""
                () => [...document.querySelectorAll('input, select, textarea')]
                  .filter(c => !['hidden', 'submit', 'button', 'reset', 'image'].includes(c.type))
                  .filter(c => {
                    const named = (c.labels && [...c.labels].some(l => l.textContent.trim() !== ''))
                      || (c.getAttribute('aria-label') || '').trim() !== ''
                      || (c.getAttribute('aria-labelledby') || '').split(/\\s+/)
                           .some(id => id && document.getElementById(id)?.textContent.trim());
                    return !named;
                  })
                  .map(c => c.tagName.toLowerCase() + (c.id ? '#' + c.id : '') + (c.name ? '[name=' + c.name + ']' : ''))
                """);
    }

    /** Number of form controls {@link #unlabelledControls()} looked at, to show a check was not vacuous. */
    public int formControls() {
        return ((Number) page.evaluate("""
                () => [...document.querySelectorAll('input, select, textarea')]
                  .filter(c => !['hidden', 'submit', 'button', 'reset', 'image'].includes(c.type)).length
                """)).intValue();
    }

    /** How many CSS pixels the page is wider than the viewport (0 when it does not scroll sideways). */
    public int horizontalOverflow() {
        return ((Number) page.evaluate(
                "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")).intValue();
    }

    /** Relative luminance (WCAG, 0 black to 1 white) of the body's computed background colour. */
    public double backgroundLuminance() {
        String colour = (String) page.evaluate("() => getComputedStyle(document.body).backgroundColor");
        return luminance(colour);
    }

    /** WCAG relative luminance of a CSS {@code rgb()} / {@code rgba()} colour. */
    static double luminance(String cssColour) {
        Matcher m = Pattern.compile("rgba?\\(\\s*([\\d.]+)[ ,]+([\\d.]+)[ ,]+([\\d.]+)").matcher(cssColour);
        if (!m.find()) {
            throw new IllegalArgumentException("not an rgb() colour: " + cssColour);
        }
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Double.parseDouble(m.group(i + 1)) / 255.0;
            c[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /** Describes the focused element, e.g. {@code a[href=/channels]} or {@code input#email}; {@code body} if none. */
    public String focused() {
        return (String) page.evaluate("""
                () => { const e = document.activeElement;
                        if (!e) return 'none';
                        const tag = e.tagName.toLowerCase();
                        if (tag === 'a') return 'a[href=' + e.getAttribute('href') + ']';
                        return tag + (e.id ? '#' + e.id : ''); }
                """);
    }

    /** Whether the focused element matches {@code :focus-visible} and draws an outline (keyboard users see it). */
    public boolean focusVisible() {
        return (Boolean) page.evaluate("""
                () => { const e = document.activeElement;
                        if (!e || !e.matches(':focus-visible')) return false;
                        const s = getComputedStyle(e);
                        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }
                """);
    }

    private String saveFailure(String step) {
        String base = fileName(step) + "-failed";
        try {
            Files.createDirectories(folder);
            Path png = folder.resolve(base + ".png");
            Path html = folder.resolve(base + ".html");
            Files.writeString(html, page.content(), StandardCharsets.UTF_8);
            page.screenshot(new Page.ScreenshotOptions().setPath(png).setFullPage(true).setTimeout(5_000));
            return png + ", " + html;
        } catch (RuntimeException | IOException e) {
            return "could not save it: " + e;
        }
    }

    private static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    /** A step name as a file name: {@code go /channels} becomes {@code go-channels}. */
    static String fileName(String step) {
        String name = step.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "step" : name;
    }

    @Override
    public void close() {
        context.close();
    }
}
