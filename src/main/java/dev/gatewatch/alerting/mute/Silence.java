package dev.gatewatch.alerting.mute;

import java.time.Instant;
import java.util.Optional;

/** An ad-hoc silence: one monitor, or all of the owner's ({@code monitorId} null), from start to end. */
public record Silence(long id, Long monitorId, String reason, Instant startsAt, Instant endsAt) implements MuteRule {

    public boolean activeAt(Instant at) {
        return new Occurrence(startsAt, endsAt).covers(at);
    }

    @Override
    public Optional<Mute> mutes(long monitor, Instant at) {
        if (monitorId != null && monitorId != monitor || !activeAt(at)) {
            return Optional.empty();
        }
        return Optional.of(new Mute("silence \"" + reason + "\"", endsAt));
    }
}
