package dev.gatewatch.check;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.gatewatch.api.ReadinessGauge;
import dev.gatewatch.config.GatewatchConfig;
import io.micrometer.core.instrument.MeterRegistry;

/** Readiness of the checker role: DOWN while checks run but their results have not been stored for a while. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {

    private final Checker checker;
    private final GatewatchConfig config;

    public StorageReadiness(Checker checker, GatewatchConfig config, MeterRegistry metrics) {
        this.checker = checker;
        this.config = config;
        ReadinessGauge.register(metrics, "store", this, StorageReadiness::stalled);
    }

    @Override
    public HealthCheckResponse call() {
        Duration stalled = checker.storeStalledFor();
        return HealthCheckResponse.named("check results stored").status(!stalled())
                .withData("waiting", checker.waiting()).withData("stalledSeconds", stalled.toSeconds()).build();
    }

    private boolean stalled() {
        return checker.storeStalledFor().compareTo(config.health().storeStall()) >= 0;
    }
}
