package dev.gatewatch.alerting.mute;

import java.util.Comparator;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Why alerts are held right now, and until when.
 *
 * @param by    what mutes, as an owner reads it: {@code maintenance window "DB upgrade"}
 * @param until when it ends; held alerts are looked at again then
 */
public record Mute(String by, Instant until) {

    /** The one that lasts longest, if any. */
    public static Optional<Mute> longest(Stream<Optional<Mute>> mutes) {
        return mutes.flatMap(Optional::stream).max(Comparator.comparing(Mute::until));
    }
}
