package dev.gatewatch.analysis.model;

/**
 * Checks made together, at one moment, put into words: where they fail and why (an on-demand diagnosis rather than an
 * episode followed over time).
 *
 * @param scope       where the failures are
 * @param evidence    what the failing checks showed
 * @param failure     the dominant failure in a few words ("HTTP 502 from nginx at the origin"); null when all pass
 * @param explanation which layer answered, who agrees, the likely cause and the owner's first step; its summary is
 *                    the failure, and its cause and first step are null when every check passes
 */
public record Snapshot(Scope scope, Evidence evidence, String failure, Explanation explanation) {

    public boolean allPass() {
        return evidence.failures() == 0;
    }
}
