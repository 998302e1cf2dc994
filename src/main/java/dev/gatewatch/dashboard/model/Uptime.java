package dev.gatewatch.dashboard.model;

/**
 * Checks and failures over a period; uptime is the share of checks that passed, across all regions and resolvers.
 * A monitor failing from one of two regions for an hour loses half an hour of uptime, not a whole one.
 */
public record Uptime(long checks, long failures) {

    public static final Uptime NONE = new Uptime(0, 0);

    /** Percent of passing checks, or null without checks. */
    public Double percent() {
        return checks == 0 ? null : 100.0 * (checks - failures) / checks;
    }

    /** "99.95%", "100%", "–" : at most two decimals, never rounded up to 100 while something failed. */
    public String text() {
        Double p = percent();
        if (p == null) {
            return "–";
        }
        if (failures == 0) {
            return "100%";
        }
        long hundredths = (checks - failures) * 10_000 / checks; // integer maths: floored exactly, no 99.99999 → 100
        long cents = hundredths % 100;
        return hundredths / 100 + (cents == 0 ? "" : (cents < 10 ? ".0" : ".") + cents) + "%";
    }

    /** Colour band for strips and badges: ok (≥ 99.9), warn (≥ 99), bad, or none. */
    public String band() {
        Double p = percent();
        if (p == null) {
            return "none";
        }
        return failures == 0 || p >= 99.9 ? "ok" : p >= 99 ? "warn" : "bad";
    }

    public Uptime plus(Uptime o) {
        return new Uptime(checks + o.checks, failures + o.failures);
    }
}
