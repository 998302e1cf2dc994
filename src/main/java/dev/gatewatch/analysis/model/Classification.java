package dev.gatewatch.analysis.model;

import java.util.Locale;

/** What an episode turned out to be. Only outage, partial, degraded and flapping alert. */
public enum Classification {
    /** Failing, inside the confirmation window: not decided yet. */
    SUSPECT(false),
    /** 502/503/504, refused or reset that cleared within the window (or inside a deployment marker). */
    DEPLOY_BLIP(false),
    /** Another kind of failure that cleared within the window. */
    TRANSIENT(false),
    OUTAGE(true),
    PARTIAL(true),
    DEGRADED(true),
    FLAPPING(true);

    private final boolean alerts;

    Classification(boolean alerts) {
        this.alerts = alerts;
    }

    public boolean alerts() {
        return alerts;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
