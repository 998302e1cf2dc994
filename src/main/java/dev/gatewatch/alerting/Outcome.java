package dev.gatewatch.alerting;

import java.time.Duration;

/**
 * How a send went.
 *
 * @param response   what the receiver answered (status line and start of the body, or the SMTP reply), for the owner
 * @param retryAfter the receiver's own wait (429 Retry-After); null to use the backoff
 */
public record Outcome(Result result, String response, Duration retryAfter) {

    public enum Result {
        DELIVERED,
        /** Connection errors, timeouts, 5xx, 429: try again later. */
        RETRY,
        /** The receiver refused for good (4xx such as Slack's invalid_token or no_service): stop and show it. */
        PERMANENT
    }

    public static Outcome delivered(String response) {
        return new Outcome(Result.DELIVERED, response, null);
    }

    public static Outcome retry(String response, Duration retryAfter) {
        return new Outcome(Result.RETRY, response, retryAfter);
    }

    public static Outcome permanent(String response) {
        return new Outcome(Result.PERMANENT, response, null);
    }
}
