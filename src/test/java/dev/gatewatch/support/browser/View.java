package dev.gatewatch.support.browser;

import com.microsoft.playwright.options.ColorScheme;

/**
 * How a tab shows pages: its viewport in CSS pixels, the colour scheme it asks for ({@code prefers-color-scheme}) and
 * the browser's time zone (IANA id; UTC unless a test is about time zones).
 * Not emulated as a mobile device on purpose: a phone's viewport would zoom out to fit an overflowing page and hide
 * the horizontal scrolling that the narrow view is there to catch.
 */
public record View(int width, int height, ColorScheme colorScheme, String timeZone) {

    /** A laptop window, light scheme. */
    public static View desktop() {
        return new View(1280, 800, ColorScheme.LIGHT, "UTC");
    }

    /** A phone-sized window (390 x 844, an iPhone 12 to 15), light scheme. */
    public static View narrow() {
        return new View(390, 844, ColorScheme.LIGHT, "UTC");
    }

    public View dark() {
        return new View(width, height, ColorScheme.DARK, timeZone);
    }

    public View light() {
        return new View(width, height, ColorScheme.LIGHT, timeZone);
    }

    /** The same view in another time zone, e.g. {@code Europe/Berlin}. */
    public View inZone(String zone) {
        return new View(width, height, colorScheme, zone);
    }
}
