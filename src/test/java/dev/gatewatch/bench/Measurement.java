package dev.gatewatch.bench;

import java.time.Duration;
import java.util.function.ToLongFunction;

/** One measured window: the samples at its ends and the checks stored in it; CPU as seconds per 1,000 stored checks and as % of a core. */
record Measurement(Run.Sample start, Run.Sample end, DatabaseFigures.Stored stored, double offered) {

    double seconds() {
        return Duration.between(start.at(), end.at()).toNanos() / 1e9;
    }

    double keptPerSecond() {
        return stored.checks() / seconds();
    }

    /** Checks started in the window, stored by the time the figures were read (so after the checker stopped). */
    double startedPerSecond() {
        return stored.started() / seconds();
    }

    /** Requests the targets served a second: checks the checker performed (one request each here), stored or not. */
    double servedPerSecond() {
        long served = 0;
        for (int i = 0; i < end.served().size(); i++) {
            served += end.served().get(i) - start.served().get(i);
        }
        return served / seconds();
    }

    boolean kept() {
        return keptPerSecond() >= 0.97 * offered && stored.lagP99() < 500;
    }

    long ticks(ToLongFunction<Run.Sample> of) {
        return of.applyAsLong(end) - of.applyAsLong(start);
    }

    /** CPU seconds per 1,000 stored checks (0 when none were stored). */
    double per1000(long ticks) {
        return stored.checks() == 0 ? 0 : ProcessCpu.seconds(ticks) * 1000 / stored.checks();
    }

    double percentOfCore(long ticks) {
        return 100 * ProcessCpu.seconds(ticks) / seconds();
    }

    long checker() {
        return ticks(Run.Sample::checker);
    }

    long analyzer() {
        return ticks(Run.Sample::analyzer);
    }

    long postgres() {
        return ticks(Run.Sample::postgres);
    }

    long harness() {
        return ticks(Run.Sample::harness);
    }

    /** Checker + analyzer + PostgreSQL: what running Gatewatch costs (the harness is not part of it). */
    long gatewatch() {
        return checker() + analyzer() + postgres();
    }

    ProcessCpu.Machine machine() {
        return end.machine().minus(start.machine());
    }
}
