package dev.gatewatch.api;

import java.time.Duration;

/**
 * Thrown by services for a refusal that is not about a field: answered as problem+json with this status, and a
 * Retry-After header when {@code retryAfter} is set (429 for a rate limit, 503 while a needed part is down).
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final transient Duration retryAfter;

    public ProblemException(int status, String title, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    /** The database did not answer: nothing was changed, and the request may be sent again in a moment. */
    public static ProblemException databaseUnavailable() {
        return new ProblemException(503, "Database unavailable", "The database did not answer; try again in a moment.",
                Duration.ofSeconds(5));
    }

    public Problem problem() {
        return Problem.of(status, title, getMessage());
    }

    /** Whole seconds to wait, rounded up; null when the client may retry at once. */
    public Long retryAfterSeconds() {
        return retryAfter == null ? null : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
