package dev.gatewatch.analysis.model;

import java.util.Locale;

/** Where the failures are. */
public enum Extent {
    /** Every region, resolver and node that has data. */
    WHOLE,
    /** Some regions fail completely, the others pass. */
    REGIONS,
    /** Some resolvers fail everywhere, the others pass: their DNS answer points somewhere broken. */
    RESOLVER,
    /** Answers from some IP addresses fail, from others pass (e.g. one dead host in round-robin DNS). */
    ADDRESS,
    /** Answers from some CDN nodes (POPs) fail, from others pass. */
    CDN_NODE,
    /** Failures scattered over regions and resolvers with no single common cause. */
    MIXED,
    /** Response time rather than errors. */
    LATENCY;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
