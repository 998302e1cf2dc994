package dev.gatewatch.dashboard.web;

import java.time.Duration;
import java.time.Instant;

import dev.gatewatch.api.Durations;
import dev.gatewatch.dashboard.model.Times;
import io.quarkus.qute.TemplateExtension;

/** Times in templates: relative ({@code {t.ago}} → "12 s ago", "3 min 5 s ago") and absolute ({@code {t.utc}}). */
@TemplateExtension
public final class Ago {

    private Ago() {
    }

    public static String ago(Instant t) {
        return t == null ? "never" : Durations.words(Duration.between(t, Instant.now())) + " ago";
    }

    public static String duration(Duration d) {
        return Durations.words(d);
    }

    /** How long ago {@code t} started, as a duration: "for 3 min". */
    public static String since(Instant t) {
        return t == null ? "" : Durations.words(Duration.between(t, Instant.now()));
    }

    /** Absolute times, in UTC like the charts: {@code {t.utc}} → "2026-11-24 05:42:07 UTC". */
    public static String utc(Instant t) {
        return Times.utc(t);
    }
}
