package dev.gatewatch.analysis.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the analyzer knows about the world at one evaluation besides the samples.
 *
 * @param liveRegions regions with a checker heartbeat; samples from other regions are "no data"
 * @param deployments this monitor's markers that may be in force
 */
public record Context(Instant now, Set<String> liveRegions, List<Deployment> deployments) {
}
