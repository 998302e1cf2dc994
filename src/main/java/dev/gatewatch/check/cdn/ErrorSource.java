package dev.gatewatch.check.cdn;

import java.util.Locale;

/** Which hop wrote an error response: the CDN edge, the origin side, or not known. NONE for status below 400. */
public enum ErrorSource {
    NONE, EDGE, ORIGIN, UNKNOWN;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
