package dev.gatewatch.analysis.service;

import java.util.List;

/**
 * A deployment marker from a CI/CD pipeline. Every field is optional.
 *
 * @param startedAt               when the deploy began (default: now); at most 1 day back, 1 hour ahead
 * @param endedAt                 when it finished, if already known
 * @param expectedDurationSeconds how long it should take (1 s to 1 day); failures are a deploy until start + this
 * @param description             free text shown with the marker (max 500 characters)
 * @param version                 the version or commit being deployed (max 200 characters)
 * @param monitorIds              on the per-owner endpoint: the monitors it covers (default: all of the owner's)
 */
public record DeploymentRequest(String startedAt, String endedAt, Integer expectedDurationSeconds, String description,
                                String version, List<Long> monitorIds) {
}
