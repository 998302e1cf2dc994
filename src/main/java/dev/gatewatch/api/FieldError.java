package dev.gatewatch.api;

/** One bad input field: a JSON-path-like name ({@code alertPolicy.channels[0]}) and what is wrong with it. */
public record FieldError(String field, String message) {
}
