package dev.gatewatch.dashboard.web;

import java.time.Duration;
import java.time.Instant;

import dev.gatewatch.dashboard.model.Elapsed;
import io.quarkus.qute.TemplateExtension;

/** Relative times in templates: {@code {t.ago}} → "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
@TemplateExtension
public final class Ago {

    private Ago() {
    }

    public static String ago(Instant t) {
        return t == null ? "never" : Elapsed.words(Duration.between(t, Instant.now())) + " ago";
    }

    public static String duration(Duration d) {
        return Elapsed.words(d);
    }

    /** How long ago {@code t} started, as a duration: "for 3 min". */
    public static String since(Instant t) {
        return t == null ? "" : Elapsed.words(Duration.between(t, Instant.now()));
    }

    /** "2026-11-22 05:45" (UTC, to the minute): how pages print points in time. */
    public static String utc(Instant t) {
        return t == null ? "" : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC).format(t);
    }
}
