package dev.gatewatch.api;

import java.util.function.Predicate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gatewatch.health.down{check}}: 1 while one readiness check is DOWN. Every check registers through here, so the
 * family has one help text (a Prometheus family with two is refused by the scraper and by promtool).
 */
public final class ReadinessGauge {

    private ReadinessGauge() {
    }

    public static <T> void register(MeterRegistry metrics, String check, T readiness, Predicate<T> down) {
        Gauge.builder("gatewatch.health.down", readiness, r -> down.test(r) ? 1 : 0).tag("check", check)
                .description("1 while this stage of the pipeline is unhealthy (readiness DOWN for it)").register(metrics);
    }
}
