package dev.gatewatch.analysis.model;

/** Where a monitor's availability stands. */
public enum Phase {
    /** Every live check passes (or too little data to say otherwise). */
    UP,
    /** Failing, inside the confirmation window (checks run fast). */
    SUSPECT,
    /** An outage or partial incident is open. */
    DOWN,
    /** Changing state too often: one flapping incident is open. */
    FLAPPING
}
