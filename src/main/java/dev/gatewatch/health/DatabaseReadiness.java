package dev.gatewatch.health;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

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
 * Readiness of the database, in place of Quarkus's own check (quarkus.datasource.health.enabled=false), whose
 * {@code isValid(0)} waits forever on a frozen server: DOWN, with the reason, when it gives no answer within
 * {@code gatewatch.health.database-deadline}.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    /** A query lost in a black hole ends after this, and the next probe starts a fresh one. */
    static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(10);

    private final GatewatchConfig config;
    private final BoundedQuery<Boolean> select;
    private volatile boolean down;

    public DatabaseReadiness(GatewatchConfig config, AgroalDataSource dataSource, MeterRegistry metrics) {
        this.config = config;
        this.select = new BoundedQuery<>("database-readiness", dataSource, NETWORK_TIMEOUT, c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
                return rs.next();
            }
        });
        ReadinessGauge.register(metrics, "database", this, r -> r.down);
    }

    @Override
    public HealthCheckResponse call() {
        BoundedQuery.Answer<Boolean> answer = select.ask(config.health().databaseDeadline());
        down = !answer.ok();
        var response = HealthCheckResponse.named("database").status(answer.ok());
        return answer.ok() ? response.build() : response.withData("error", answer.error()).build();
    }
}
