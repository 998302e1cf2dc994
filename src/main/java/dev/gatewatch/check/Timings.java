package dev.gatewatch.check;

/**
 * Where a check spent its time, in milliseconds; a phase that did not happen is null. Over redirects each phase is the
 * sum over all hops.
 */
public record Timings(Integer dnsMs, Integer connectMs, Integer tlsMs, Integer ttfbMs, Integer downloadMs, int totalMs) {
}
