package dev.gatewatch.alerting;

import java.time.Duration;

/**
 * How a send went.
 *
 * @param response    what the receiver answered (status line and start of the body, or the SMTP reply), for the owner
 * @param retryAfter  the receiver's own wait (429 Retry-After); null to use the backoff
 * @param unconfirmed the request went out but no answer came (a timeout after it was written, the connection cut):
 *                    the receiver may have acted on it, so sending again may duplicate it
 */
public record Outcome(Result result, String response, Duration retryAfter, boolean unconfirmed) {

    public enum Result {
        DELIVERED,
        /** Connection errors, timeouts, 5xx, 429: try again later. */
        RETRY,
        /** The receiver refused for good (4xx such as Slack's invalid_token or no_service): stop and show it. */
        PERMANENT
    }

    public static Outcome delivered(String response) {
        return new Outcome(Result.DELIVERED, response, null, false);
    }

    public static Outcome retry(String response, Duration retryAfter) {
        return new Outcome(Result.RETRY, response, retryAfter, false);
    }

    /** Sent, but no answer: worth retrying, though the receiver may already have it. */
    public static Outcome unconfirmed(String response) {
        return new Outcome(Result.RETRY, response, null, true);
    }

    public static Outcome permanent(String response) {
        return new Outcome(Result.PERMANENT, response, null, false);
    }

    /** The same outcome with another text for the owner (the receiver's answer could not be stored as it was). */
    public Outcome withResponse(String other) {
        return new Outcome(result, other, retryAfter, unconfirmed);
    }

    /** True if the receiver may now hold the message: it said so, or it said nothing after the request went out. */
    public boolean mayHaveArrived() {
        return result == Result.DELIVERED || unconfirmed;
    }
}
