package dev.gatewatch.dashboard.model;

import java.time.Duration;

/** Durations in the words pages use. */
public final class Elapsed {

    private Elapsed() {
    }

    /** "42 s", "5 min", "3 h 10 min", "2 d 4 h". */
    public static String words(Duration d) {
        long s = Math.max(0, d.toSeconds());
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
}
