package dev.gatewatch.dashboard.web;

import java.time.Duration;
import java.time.Instant;

import io.quarkus.qute.TemplateExtension;

/** Relative times in templates: {@code {t.ago}} → "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
@TemplateExtension
public final class Ago {

    private Ago() {
    }

    public static String ago(Instant t) {
        return t == null ? "never" : duration(Duration.between(t, Instant.now()).abs()) + " ago";
    }

    /** "42 s", "5 min", "3 h 10 min", "2 d 4 h". */
    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86400) {
            return s / 3600 + " h" + (s % 3600 >= 60 ? " " + s % 3600 / 60 + " min" : "");
        }
        return s / 86400 + " d" + (s % 86400 >= 3600 ? " " + s % 86400 / 3600 + " h" : "");
    }

    /** How long ago {@code t} started, as a duration: "for 3 min". */
    public static String since(Instant t) {
        return t == null ? "" : duration(Duration.between(t, Instant.now()).abs());
    }
}
