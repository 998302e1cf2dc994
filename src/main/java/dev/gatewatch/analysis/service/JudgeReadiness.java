package dev.gatewatch.analysis.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.gatewatch.api.ReadinessGauge;
import dev.gatewatch.config.GatewatchConfig;
import io.micrometer.core.instrument.MeterRegistry;

/** Readiness of the analyzer role: DOWN when no pass over the monitors has finished for a while. */
@Readiness
@ApplicationScoped
public class JudgeReadiness implements HealthCheck {

    private final AnalysisService analysis;
    private final GatewatchConfig config;

    public JudgeReadiness(AnalysisService analysis, GatewatchConfig config, MeterRegistry metrics) {
        this.analysis = analysis;
        this.config = config;
        ReadinessGauge.register(metrics, "judge", this, JudgeReadiness::stalled);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("results judged").status(!stalled())
                .withData("lastPassSecondsAgo", Duration.between(analysis.lastPass(), Instant.now()).toSeconds()).build();
    }

    private boolean stalled() {
        return config.roles().contains(GatewatchConfig.Role.analyzer)
                && Duration.between(analysis.lastPass(), Instant.now()).compareTo(config.health().judgeStall()) >= 0;
    }
}
