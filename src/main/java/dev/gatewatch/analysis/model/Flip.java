package dev.gatewatch.analysis.model;

import java.time.Instant;
import java.util.List;

/**
 * The failing/passing history of one stream through one address, for flapping: a site that goes down and up changes
 * here, while a round-robin with one bad address (one address always failing, the other always passing) and a rolling
 * deploy (each stream failing once) do not change often.
 *
 * @param failing whether its latest check failed
 * @param seen    its latest check
 * @param changes its recent changes outside deployments, oldest first
 */
public record Flip(boolean failing, Instant seen, List<Instant> changes) {
}
