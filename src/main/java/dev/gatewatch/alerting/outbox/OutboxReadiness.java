package dev.gatewatch.alerting.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.gatewatch.api.BoundedQuery;
import dev.gatewatch.api.ReadinessGauge;
import dev.gatewatch.config.GatewatchConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Readiness of the notifier role: DOWN while an alert has been due for delivery for a while without being sent or
 * given up (no notifier is working the outbox). Alerts waiting out a retry delay or a mute are not due.
 */
@Readiness
@ApplicationScoped
public class OutboxReadiness implements HealthCheck {

    private final GatewatchConfig config;
    private final BoundedQuery<Optional<Instant>> oldestDue;
    private volatile boolean stuck;

    public OutboxReadiness(GatewatchConfig config, AgroalDataSource dataSource, MeterRegistry metrics) {
        this.config = config;
        this.oldestDue = new BoundedQuery<>("outbox-readiness", dataSource, Duration.ofSeconds(10), OutboxStore::oldestDue);
        ReadinessGauge.register(metrics, "outbox", this, r -> r.stuck);
    }

    /** Stuck: the alert waiting longest became due {@code stall} or more before {@code now}. */
    public static boolean stuck(Optional<Instant> oldestDue, Instant now, Duration stall) {
        return oldestDue.isPresent() && Duration.between(oldestDue.get(), now).compareTo(stall) >= 0;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("alerts delivered");
        if (!config.roles().contains(GatewatchConfig.Role.notifier)) {
            return response.up().build();
        }
        BoundedQuery.Answer<Optional<Instant>> answer = oldestDue.ask(config.health().databaseDeadline());
        if (!answer.ok()) {
            return response.down().withData("error", answer.error()).build(); // the database check says why
        }
        Optional<Instant> oldest = answer.value();
        Instant now = Instant.now();
        stuck = stuck(oldest, now, config.health().outboxStall());
        return response.status(!stuck)
                .withData("oldestDueSecondsAgo", oldest.map(t -> Duration.between(t, now).toSeconds()).orElse(0L)).build();
    }
}
