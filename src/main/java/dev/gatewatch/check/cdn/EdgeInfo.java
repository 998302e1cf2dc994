package dev.gatewatch.check.cdn;

import java.util.Objects;

/**
 * Who answered a check, read from the response. All fields nullable except errorSource.
 *
 * @param provider    cloudflare, cloudfront, fastly, akamai, vercel, netlify, fly, bunny, azure-front-door, google
 *                    (the outermost one when several are stacked; null if none recognised)
 * @param pop         the edge node / point of presence / region that answered, e.g. "FRA" (cf-ray), "FRA56-P1"
 *                    (x-amz-cf-pop), "FRA" (last x-served-by entry), "fra1" (x-vercel-id), "ams" (fly-request-id)
 * @param requestId   the provider's request / ray id when present (cf-ray, x-amz-cf-id, x-vercel-id, ...)
 * @param server      the raw Server header, truncated to 200 chars
 * @param errorSource EDGE if a CDN edge generated the error, ORIGIN if an origin server or proxy did, UNKNOWN if it
 *                    cannot tell, NONE when status &lt; 400
 * @param generator   short name of what produced the error page when recognised ("cloudflare", "nginx", "envoy", ...)
 */
public record EdgeInfo(String provider, String pop, String requestId, String server, ErrorSource errorSource,
                       String generator) {

    public EdgeInfo {
        Objects.requireNonNull(errorSource, "errorSource");
    }

    /**
     * The stored code of who generated the error, or null for an answer below 400 (or none), where there is no error
     * to attribute whatever the headers say.
     */
    public static String errorSourceCode(EdgeInfo edge, Integer status) {
        return edge == null || status == null || status < 400 ? null : edge.errorSource().code();
    }
}
