package dev.gatewatch.check.schedule;

import java.time.Instant;

import dev.gatewatch.check.CheckTask;

/**
 * A slot this checker holds.
 *
 * @param databaseNow the database's clock when claimed: due times are on that clock, so start times are computed from
 *                    the difference, not from this host's clock
 * @param ownerId     whose monitor it is (for each owner's share of this checker)
 * @param epoch       the row's lease epoch taken by this claim; the results are stored only while it still holds
 */
public record Claim(CheckTask task, Instant databaseNow, long ownerId, long epoch) {
}
