package dev.gatewatch.analysis.service;

import java.time.Instant;
import java.util.List;

/** A stored deployment marker; {@code coversUntil} is when its failures stop counting as a deploy. */
public record DeploymentView(long id, Instant startedAt, Instant endedAt, Integer expectedDurationSeconds,
                             Instant coversUntil, String description, String version, List<Long> monitorIds) {
}
