package dev.gatewatch.dashboard.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

/** Absolute times in templates, in UTC like the charts: {@code {t.utc}} → "2026-11-24 05:42:07 UTC". */
@TemplateExtension
public final class UtcTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private UtcTime() {
    }

    public static String utc(Instant t) {
        return t == null ? "–" : FORMAT.format(t);
    }
}
