package dev.gatewatch.analysis.model;

import java.time.Instant;

import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.cdn.ErrorSource;

/**
 * One check result as the analyzer sees it. Nullable: status (no HTTP answer), errorClass (ok), timings, resolvedIp,
 * cdn fields, generator.
 *
 * @param resultId    id of the stored check result (evidence points at it); 0 in replayed timelines
 * @param errorSource who generated an error response: EDGE (CDN), ORIGIN (proxy or app), UNKNOWN, or NONE
 * @param generator   what produced the error page when recognised ("nginx", "cloudflare", ...)
 */
public record Sample(long resultId, String region, String resolver, Instant at, boolean ok, Integer status,
                     ErrorClass errorClass, int totalMs, Integer dnsMs, Integer connectMs, Integer ttfbMs,
                     String resolvedIp, String cdnProvider, String cdnPop, ErrorSource errorSource, String generator) {

    public Sample {
        errorSource = errorSource == null ? ErrorSource.NONE : errorSource;
    }

    /** When the check ended: the newest time it speaks for (a timeout saw no answer for its whole length). */
    public Instant end() {
        return at.plusMillis(Math.max(0, totalMs));
    }

    /** The (region, resolver) stream this sample belongs to. */
    public String stream() {
        return region + " via " + resolver;
    }

    /** What failed, in a few words: "HTTP 502 (nginx)", "connect_refused". */
    public String failure() {
        if (ok) {
            return "ok";
        }
        if (status != null && (errorClass == null || errorClass == ErrorClass.ASSERTION_FAILED)) {
            return "HTTP " + status + (generator == null ? "" : " (" + generator + ")");
        }
        return errorClass == null ? "failed" : errorClass.code();
    }
}
