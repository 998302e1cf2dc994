package dev.gatewatch.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Accessibility checks on the web UI's forms, as rendered. */
public final class Labels {

    private static final Pattern CONTROL = Pattern.compile("<(input|select|textarea)\\b([^>]*)>");
    private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]+)\"");

    private Labels() {
    }

    /** Every form control has a label: a {@code <label for>} naming it, or a label wrapped around it. */
    public static void assertEveryControlLabelled(String page) {
        Matcher m = CONTROL.matcher(page);
        int checked = 0;
        while (m.find()) {
            String attributes = m.group(2);
            if (attributes.contains("type=\"hidden\"")) {
                continue;
            }
            Matcher id = ID.matcher(attributes);
            boolean wrapped = page.lastIndexOf("<label", m.start()) > page.lastIndexOf("</label>", m.start());
            assertTrue(wrapped || id.find() && page.contains("for=\"" + id.group(1) + "\""), "no label for <" + m.group(1) + attributes + ">");
            checked++;
        }
        assertTrue(checked > 5, "found the form's controls");
        assertEquals(-1, page.indexOf("aria-describedby=\"\""), "no empty references");
    }
}
