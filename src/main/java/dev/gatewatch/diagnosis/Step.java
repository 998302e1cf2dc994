package dev.gatewatch.diagnosis;

import java.util.List;

/**
 * One thing to do, for one audience.
 *
 * @param commands where each applies ("Windows", "macOS", …) and what to type; empty when there is nothing to type
 */
public record Step(String title, String text, List<Command> commands) {

    public record Command(String where, String line) {
    }

    public static Step of(String title, String text) {
        return new Step(title, text, List.of());
    }
}
