package dev.gatewatch.diagnosis;

import java.util.Locale;

/** What a diagnosis found, in one word. */
public enum Finding {
    /** Some regions have not answered yet and none has failed so far. */
    CHECKING,
    /** Every check passed in time. */
    UP,
    /** Every check passed, but slowly. */
    SLOW,
    /** Every check failed, from every region through every resolver. */
    DOWN_EVERYWHERE,
    /** Checks through some resolvers fail everywhere; the others pass: it depends on the visitor's DNS. */
    DOWN_VIA_RESOLVERS,
    /** Answers from some addresses or CDN nodes fail, from others pass. */
    DOWN_AT_NODES,
    /** Some regions fail completely; the others pass. */
    DOWN_IN_REGIONS,
    /** Failures scattered over regions and resolvers. */
    PARTLY_DOWN,
    /** No region answered in time: nothing is known about the site. */
    NO_ANSWER;

    @com.fasterxml.jackson.annotation.JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean down() {
        return this == DOWN_EVERYWHERE || this == DOWN_VIA_RESOLVERS || this == DOWN_AT_NODES || this == DOWN_IN_REGIONS
                || this == PARTLY_DOWN;
    }
}
