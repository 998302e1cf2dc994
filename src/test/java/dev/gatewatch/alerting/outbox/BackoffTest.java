package dev.gatewatch.alerting.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatewatch.alerting.Outcome;

/** The retry schedule as a table: Retry-After, the usual doubling, and the long wait after an unconfirmed Slack send. */
class BackoffTest {

    private static final Backoff DEFAULTS = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(30), Duration.ofMinutes(5));

    static Stream<Arguments> schedule() {
        Outcome answered = Outcome.retry("503 Service Unavailable", null);
        Outcome unanswered = Outcome.unconfirmed("no answer within 10 s");
        return Stream.of(
                // attempt, outcome, idempotent, unconfirmed sends, jitter, expected
                Arguments.of(1, answered, false, 0, 0.0, Duration.ofSeconds(10)),
                Arguments.of(2, answered, false, 0, 0.0, Duration.ofSeconds(20)),
                Arguments.of(4, answered, true, 0, 0.0, Duration.ofSeconds(80)),
                Arguments.of(4, answered, true, 0, 0.5, Duration.ofSeconds(90)),
                Arguments.of(9, answered, false, 0, 0.0, Duration.ofMinutes(30)),
                Arguments.of(60, answered, false, 0, 0.99, Duration.ofMillis(1_800_000 + 445_500)),
                Arguments.of(3, Outcome.retry("429", Duration.ofSeconds(7)), false, 0, 0.9, Duration.ofSeconds(7)),
                Arguments.of(3, Outcome.retry("429", Duration.ofHours(2)), false, 0, 0.0, Duration.ofMinutes(30)),
                // no idempotency key: the message may be posted already, so wait long and longer
                Arguments.of(1, unanswered, false, 1, 0.0, Duration.ofMinutes(5)),
                Arguments.of(2, unanswered, false, 2, 0.0, Duration.ofMinutes(10)),
                Arguments.of(5, unanswered, false, 3, 0.0, Duration.ofMinutes(20)),
                Arguments.of(6, unanswered, false, 4, 0.0, Duration.ofMinutes(30)),
                Arguments.of(1, unanswered, false, 1, 0.2, Duration.ofSeconds(315)),
                // a webhook drops repeats by its Idempotency-Key: the usual schedule
                Arguments.of(1, unanswered, true, 1, 0.0, Duration.ofSeconds(10)),
                Arguments.of(3, unanswered, true, 3, 0.0, Duration.ofSeconds(40)),
                // an answered failure after an earlier unconfirmed send: the receiver said no, the usual schedule
                Arguments.of(2, answered, false, 1, 0.0, Duration.ofSeconds(20)));
    }

    @ParameterizedTest
    @MethodSource("schedule")
    void waits(int attempt, Outcome outcome, boolean idempotent, int unconfirmedSends, double jitter, Duration expected) {
        assertEquals(expected, DEFAULTS.after(attempt, outcome, idempotent, unconfirmedSends, jitter));
    }
}
