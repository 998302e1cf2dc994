package dev.gatewatch.check;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gatewatch.checks}: checks made by this checker, by region, outcome and error class. Every series exists from
 * the start (at 0), so a rate over a failure class that has never happened is 0 rather than absent; the tags take
 * bounded values only (the configured region, ok/failed, the {@link ErrorClass} codes).
 */
public final class CheckCounts {

    private final Counter ok;
    private final Map<ErrorClass, Counter> failed = new EnumMap<>(ErrorClass.class);
    private final Counter failedUnclassified;

    public CheckCounts(MeterRegistry metrics, String region) {
        this.ok = counter(metrics, region, "ok", "none");
        for (ErrorClass e : ErrorClass.values()) {
            failed.put(e, counter(metrics, region, "failed", e.code()));
        }
        this.failedUnclassified = counter(metrics, region, "failed", "none");
    }

    public void count(CheckResult result) {
        if (result.ok()) {
            ok.increment();
        } else {
            (result.errorClass() == null ? failedUnclassified : failed.get(result.errorClass())).increment();
        }
    }

    private static Counter counter(MeterRegistry metrics, String region, String outcome, String errorClass) {
        return Counter.builder("gatewatch.checks").tag("region", region).tag("outcome", outcome).tag("error_class", errorClass)
                .description("Checks made, by region, outcome (ok, failed) and error class (none when ok)").register(metrics);
    }
}
