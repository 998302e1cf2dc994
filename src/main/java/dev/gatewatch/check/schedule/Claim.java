package dev.gatewatch.check.schedule;

import java.time.Instant;

import dev.gatewatch.check.CheckTask;

/**
 * A slot this checker holds.
 *
 * @param databaseNow the database's clock when claimed: due times are on that clock, so start times are computed from
 *                    the difference, not from this host's clock
 */
public record Claim(CheckTask task, Instant databaseNow) {
}
