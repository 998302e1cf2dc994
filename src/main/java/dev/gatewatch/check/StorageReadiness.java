package dev.gatewatch.check;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.gatewatch.api.ReadinessGauge;
import dev.gatewatch.config.GatewatchConfig;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Readiness of the checker role: DOWN while checks run but their results have not been stored for a while, or while
 * more results wait than the database keeps up with (back-pressure made visible before the buffer drops any).
 */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {

    private final Checker checker;
    private final GatewatchConfig config;

    public StorageReadiness(Checker checker, GatewatchConfig config, MeterRegistry metrics) {
        this.checker = checker;
        this.config = config;
        ReadinessGauge.register(metrics, "store", this, StorageReadiness::down);
    }

    @Override
    public HealthCheckResponse call() {
        Duration stalled = checker.storeStalledFor();
        int waiting = checker.waiting();
        return HealthCheckResponse.named("check results stored").status(!down())
                .withData("waiting", waiting).withData("backlogLimit", config.health().storeBacklog())
                .withData("stalledSeconds", stalled.toSeconds()).build();
    }

    private boolean down() {
        return checker.storeStalledFor().compareTo(config.health().storeStall()) >= 0
                || checker.waiting() >= config.health().storeBacklog();
    }
}
