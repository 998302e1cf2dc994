package dev.gatewatch.dashboard.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * A status page's incidents as an Atom feed (RFC 4287), so visitors can follow it in a feed reader or pipe it into
 * chat. Entry ids are stable, and an entry's {@code updated} moves only when the incident ends: a feed reader shows
 * an incident once when it starts and once more when it is resolved.
 */
public final class AtomFeed {

    private AtomFeed() {
    }

    /** The feed of {@code page}; without incidents it dates from the page's last edit. */
    public static String of(PublicPage page) {
        String pageUrl = page.url();
        Instant updated = page.incidents().stream().map(PublicIncident::updatedAt).max(Comparator.naturalOrder()).orElse(page.editedAt());
        StringBuilder x = new StringBuilder(1024).append("""
                <?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom">
                """);
        element(x, "  ", "title", page.title() + ": incidents");
        element(x, "  ", "subtitle", "Currently: " + page.overall().text());
        x.append("  <link rel=\"alternate\" type=\"text/html\" href=\"").append(escape(pageUrl)).append("\"/>\n");
        x.append("  <link rel=\"self\" type=\"application/atom+xml\" href=\"").append(escape(pageUrl)).append("/feed.atom\"/>\n");
        element(x, "  ", "id", pageUrl);
        element(x, "  ", "updated", time(updated));
        x.append("  <author><name>").append(escape(page.title())).append("</name></author>\n");
        x.append("  <generator uri=\"https://gatewatch.dev\">Gatewatch</generator>\n");
        for (PublicIncident i : page.incidents()) {
            String link = pageUrl + "#incident-" + i.key();
            x.append("  <entry>\n");
            element(x, "    ", "title", i.title() + (i.ongoing() ? "" : " (resolved)"));
            element(x, "    ", "id", link);
            x.append("    <link rel=\"alternate\" type=\"text/html\" href=\"").append(escape(link)).append("\"/>\n");
            element(x, "    ", "published", time(i.startedAt()));
            element(x, "    ", "updated", time(i.updatedAt()));
            element(x, "    ", "summary", i.feedText());
            x.append("  </entry>\n");
        }
        return x.append("</feed>\n").toString();
    }

    private static void element(StringBuilder x, String indent, String name, String text) {
        x.append(indent).append('<').append(name).append('>').append(escape(text)).append("</").append(name).append(">\n");
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** XML text and attribute escaping; characters XML 1.0 cannot carry at all are dropped. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
