package dev.gatewatch.api;

import java.time.Duration;

/**
 * Durations in the words every page, alert and explanation uses.
 *
 * <p>The rule: below 10 min to the second ("45 s", "3 min 20 s", "3 min"); below 1 h in whole minutes ("42 min"); below
 * 1 d in hours and minutes ("2 h 5 min", "2 h"); from 1 d in days and hours ("3 d 4 h"). A single duration is cut down
 * to its unit (12 min 40 s is "12 min", 59.9 s is "59 s"); negative durations read as "0 s".
 */
public final class Durations {

    private static final long MINUTE = 60;
    private static final long HOUR = 3600;
    private static final long DAY = 86400;
    /** Below this, seconds still matter to a reader; above it they are noise. */
    private static final long SECONDS_SHOWN = 600;

    private Durations() {
    }

    /** "45 s", "3 min 20 s", "3 min", "42 min", "2 h 5 min", "3 d 4 h". */
    public static String words(Duration d) {
        return words(Math.max(0, d.toSeconds()));
    }

    /**
     * A range: "50–59 s" when both ends are one number of the same unit, "50 s – 1 min 10 s" otherwise, and just one
     * duration when both ends read the same ("10 min" for 10 min 5 s to 10 min 50 s). Each end is cut down like a
     * single duration, so "10–11 min" covers everything from 10 min 0 s to 11 min 59 s.
     */
    public static String range(Duration low, Duration high) {
        String from = words(low.compareTo(high) <= 0 ? low : high);
        String to = words(low.compareTo(high) <= 0 ? high : low);
        if (from.equals(to)) {
            return from;
        }
        String[] a = from.split(" ");
        String[] b = to.split(" ");
        return a.length == 2 && b.length == 2 && a[1].equals(b[1]) ? a[0] + "–" + to : from + " – " + to;
    }

    private static String words(long s) {
        if (s < MINUTE) {
            return s + " s";
        }
        if (s < SECONDS_SHOWN) {
            return s / MINUTE + " min" + (s % MINUTE == 0 ? "" : " " + s % MINUTE + " s");
        }
        if (s < HOUR) {
            return s / MINUTE + " min";
        }
        if (s < DAY) {
            return s / HOUR + " h" + (s % HOUR < MINUTE ? "" : " " + s % HOUR / MINUTE + " min");
        }
        return s / DAY + " d" + (s % DAY < HOUR ? "" : " " + s % DAY / HOUR + " h");
    }
}
