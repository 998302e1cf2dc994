package dev.gatewatch.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** An ISO-8601 date-time from a query parameter or body field, with the error collected rather than thrown. */
public final class DateTimeParam {

    private DateTimeParam() {
    }

    /** {@code fallback} when blank; on a bad value adds a field error to {@code errors} and returns the fallback. */
    public static Instant parse(String field, String text, Instant fallback, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date-time such as 2026-11-25T10:00:00Z"));
            return fallback;
        }
    }
}
