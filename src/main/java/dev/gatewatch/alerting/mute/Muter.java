package dev.gatewatch.alerting.mute;

import java.time.Instant;
import java.util.Optional;

/**
 * Every kind of suppression (maintenance windows, silences) behind one interface, as Alertmanager does. The notifier
 * asks each CDI bean implementing this before sending; a new kind of mute is one new bean.
 */
public interface Muter {

    /** The mute on an owner's monitor at {@code at}, if this kind of rule has one. */
    Optional<Mute> mute(long ownerId, long monitorId, Instant at);

    /** The mute that lasts longest among {@code rules}, if any mutes the monitor. */
    static Optional<Mute> longest(java.util.List<? extends MuteRule> rules, long monitorId, Instant at) {
        return Mute.longest(rules.stream().map(r -> r.mutes(monitorId, at)));
    }
}
