package dev.gatewatch.alerting.mute;

import java.time.Instant;

/**
 * Whether an incident alert that is due goes out now. Decides for alerts that were held by a mute (sent when the
 * mute ends only if they still matter) and keeps a recovery behind its own opening alert. Pure.
 */
public final class Release {

    /** How the incident's opening alerts (opened, escalated) on the same channel stand. */
    public enum Opening {
        /** None was queued for this channel (it was attached later): a recovery goes out alone. */
        NONE,
        /** At least one was delivered. */
        DELIVERED,
        /** One is still pending, being sent or muted. */
        IN_FLIGHT,
        /** None was delivered and none will be: all were suppressed. */
        SUPPRESSED,
        /** None was delivered: the channel refused them or the notifier gave up. */
        FAILED
    }

    /**
     * What is known when an alert is due.
     *
     * @param event        opened, escalated, recovered, reminder
     * @param held         the alert waited out a mute
     * @param incidentOpen the incident is still open now
     * @param superseded   a later opening alert of the same incident for the same channel will go out instead
     * @param openingDue   when an opening alert in flight is next tried
     */
    public record Situation(String event, boolean held, boolean incidentOpen, boolean superseded, Opening opening,
                            Instant openingDue) {
    }

    /** Send it, suppress it for a reason, or wait until a time. */
    public record Decision(Action action, String reason, Instant waitUntil) {
        public enum Action { SEND, SUPPRESS, WAIT }

        static Decision send() {
            return new Decision(Action.SEND, null, null);
        }

        static Decision suppress(String reason) {
            return new Decision(Action.SUPPRESS, reason, null);
        }
    }

    private Release() {
    }

    public static Decision decide(Situation s) {
        switch (s.event()) {
            case "reminder":
                return s.incidentOpen() ? Decision.send() : Decision.suppress("the incident is over");
            case "recovered":
                return switch (s.opening()) {
                    case IN_FLIGHT -> new Decision(Decision.Action.WAIT, "waiting for the opening alert", s.openingDue());
                    case SUPPRESSED -> Decision.suppress("its opening alert was never sent (muted)");
                    default -> Decision.send();
                };
            default:
                if (!s.held()) {
                    return Decision.send();
                }
                if (!s.incidentOpen()) {
                    return Decision.suppress("the incident was over before the mute ended");
                }
                return s.superseded() ? Decision.suppress("superseded by a later alert for the same incident") : Decision.send();
        }
    }
}
