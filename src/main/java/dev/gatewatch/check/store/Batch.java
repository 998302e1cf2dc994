package dev.gatewatch.check.store;

import java.util.List;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.schedule.Completion;

/** The results of one slot, written together with the slot's completion (null for results that stand for no slot). */
record Batch(List<CheckResult> results, Completion completion) {

    int size() {
        return results.size();
    }
}
