package dev.gatewatch.analysis.model;

import java.time.Instant;
import java.util.Locale;

/** Something the analyzer decided, with the episode as it stands after the decision. */
public record Event(Type type, Instant at, Episode episode) {

    public enum Type {
        /** Failures began; checks speed up. No alert. */
        SUSPECTED(false),
        /** Failures cleared inside the window (deploy blip or transient). No alert; recorded. */
        CLEARED(false),
        /** An incident is confirmed: outage, partial, degraded or flapping. Alerts. */
        OPENED(true),
        /** A partial incident became an outage, or flapping settled into an outage. Alerts. */
        ESCALATED(true),
        /** An incident is over. Alerts (recovery notice). */
        RECOVERED(true);

        private final boolean alerts;

        Type(boolean alerts) {
            this.alerts = alerts;
        }

        public boolean alerts() {
            return alerts;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
