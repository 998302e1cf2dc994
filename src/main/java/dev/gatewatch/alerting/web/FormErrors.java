package dev.gatewatch.alerting.web;

import java.util.List;

import dev.gatewatch.api.FieldError;

/** The API's field errors, looked up by field for display next to each control. */
public record FormErrors(List<FieldError> all) {

    public static final FormErrors NONE = new FormErrors(List.of());

    /** The first message for {@code field} (or one of its list items, {@code field[i]}), or null. */
    public String of(String field) {
        return all.stream().filter(e -> e.field().equals(field) || e.field().startsWith(field + "[")).map(FieldError::message)
                .findFirst().orElse(null);
    }

    /** Messages for fields the form has no control for, shown at the top. */
    public List<FieldError> others(List<String> shown) {
        return all.stream().filter(e -> shown.stream().noneMatch(f -> e.field().equals(f) || e.field().startsWith(f + "["))).toList();
    }

    public boolean any() {
        return !all.isEmpty();
    }
}
