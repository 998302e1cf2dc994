package dev.gatewatch.analysis.model;

import java.time.Duration;
import java.time.Instant;

/**
 * One stretch of trouble of a monitor, from the first failing (or slow) check to the recovery.
 *
 * @param incidentId  the stored incident's id, set by the service once stored (the core never reads it)
 * @param kind        SUSPECT until decided, then what it is
 * @param start       time of the first failing check
 * @param confirmedAt when it became an alerting incident; null for blips
 * @param endedAt     when the last stream passed again (the recovery time); null while open
 * @param deploymentId the deployment marker the failures fell in, if any
 */
public record Episode(Long incidentId, Classification kind, Instant start, Instant confirmedAt, Instant endedAt,
                      Scope scope, Evidence evidence, Explanation explanation, Long deploymentId) {

    public Episode withIncidentId(Long id) {
        return new Episode(id, kind, start, confirmedAt, endedAt, scope, evidence, explanation, deploymentId);
    }

    public Episode withEvidence(Evidence e) {
        return new Episode(incidentId, kind, start, confirmedAt, endedAt, scope, e, explanation, deploymentId);
    }

    public Episode withExplanation(Explanation e) {
        return new Episode(incidentId, kind, start, confirmedAt, endedAt, scope, evidence, e, deploymentId);
    }

    public Duration duration(Instant now) {
        return Duration.between(start, endedAt != null ? endedAt : now);
    }

    /** The bounds on how long it lasted, once it has ended; null while open or with no passing check before it. */
    public Lasted lasted() {
        if (endedAt == null || evidence.lastPassAt() == null) {
            return null;
        }
        return Lasted.of(evidence.lastPassAt(), start, evidence.lastFailure(), endedAt);
    }
}
