package dev.gatewatch.dashboard.model;

/**
 * A monitor's state at a glance, as the list, the status page and the badges show it.
 *
 * @see #of
 */
public enum Health {
    UP("up", "Up", "operational"),
    DEGRADED("degraded", "Slow", "degraded performance"),
    DEPLOYING("deploying", "Deploy in progress", "operational"),
    SUSPECT("suspect", "Failing, confirming", "operational"),
    FLAPPING("flapping", "Flapping", "intermittent problems"),
    PARTIAL("partial", "Partial outage", "partial outage"),
    DOWN("down", "Down", "major outage"),
    PENDING("pending", "No checks yet", "no data"),
    PAUSED("paused", "Paused", "not monitored");

    private final String code;
    private final String label;
    private final String publicLabel;

    Health(String code, String label, String publicLabel) {
        this.code = code;
        this.label = label;
        this.publicLabel = publicLabel;
    }

    /** Stable lower-case name for CSS classes, filters and badges. */
    public String code() {
        return code;
    }

    /** What the owner's dashboard says. */
    public String label() {
        return label;
    }

    /** What a public status page says: a suspicion or a deploy blip is not news for visitors yet. */
    public String publicLabel() {
        return publicLabel;
    }

    /** Whether the owner should look: anything but up, pending or paused. */
    public boolean problem() {
        return this != UP && this != PENDING && this != PAUSED;
    }

    /** Worse states sort first. */
    public int severity() {
        return switch (this) {
            case DOWN -> 0;
            case PARTIAL -> 1;
            case FLAPPING -> 2;
            case SUSPECT -> 3;
            case DEPLOYING -> 4;
            case DEGRADED -> 5;
            case PENDING -> 6;
            case UP -> 7;
            case PAUSED -> 8;
        };
    }

    /**
     * The state from what the analyzer and the latest checks say.
     *
     * @param paused       the owner paused the monitor
     * @param availability the unresolved availability incident, or null
     * @param latency      the unresolved latency incident (degraded), or null
     * @param streams      (region, resolver) streams with a latest result
     * @param failing      of those, how many failed their latest check
     */
    public static Health of(boolean paused, OpenIncident availability, OpenIncident latency, int streams, int failing) {
        if (paused) {
            return PAUSED;
        }
        if (availability != null) {
            switch (availability.kind()) {
                case "outage":
                    return DOWN;
                case "partial":
                    return PARTIAL;
                case "flapping":
                    return FLAPPING;
                case "deploy_blip":
                    return DEPLOYING;
                default:
                    return SUSPECT;
            }
        }
        if (streams == 0) {
            return PENDING;
        }
        if (failing > 0) {
            return SUSPECT; // the analyzer has not caught up with the newest results yet
        }
        return latency != null ? DEGRADED : UP;
    }

    /**
     * The state a status page and badges show: only what the analyzer confirmed. A failure still being confirmed or
     * a deploy in progress counts as up, or as slow while a slow-responses incident is open.
     */
    public static Health forVisitors(boolean paused, OpenIncident availability, OpenIncident latency, int streams, int failing) {
        Health owner = of(paused, availability, latency, streams, failing);
        if (owner != SUSPECT && owner != DEPLOYING) {
            return owner;
        }
        return latency != null ? DEGRADED : UP;
    }
}
