package dev.gatewatch.alerting.mute;

import java.time.Instant;
import java.util.Optional;

/** One stored rule that can mute a monitor's alerts: a maintenance window or a silence. Pure. */
public interface MuteRule {

    /** The mute this rule puts on {@code monitorId} at {@code at}, if any. */
    Optional<Mute> mutes(long monitorId, Instant at);
}
