package dev.gatewatch.alerting.outbox;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.gatewatch.api.BoundedQuery;
import dev.gatewatch.api.FaultLog;
import dev.gatewatch.config.GatewatchConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/**
 * The outbox's depth and its oldest due alert, for the notifier role: read from the database on a schedule of their
 * own, never at scrape time, so that a scrape stays quick while the database is slow or frozen.
 */
@Startup
@ApplicationScoped
public class OutboxGauges {

    private static final Logger LOG = Logger.getLogger(OutboxGauges.class);

    private final GatewatchConfig config;
    private final BoundedQuery<OutboxStore.Depth> query;
    private final FaultLog faults;
    private volatile OutboxStore.Depth last = new OutboxStore.Depth(0, null);

    public OutboxGauges(GatewatchConfig config, AgroalDataSource dataSource, MeterRegistry metrics) {
        this.config = config;
        this.faults = new FaultLog(LOG, "outbox metrics").counted(metrics, "outbox_gauges");
        this.query = new BoundedQuery<>("outbox-gauges", dataSource, Duration.ofSeconds(10), OutboxStore::depth);
        if (config.roles().contains(GatewatchConfig.Role.notifier)) {
            Gauge.builder("gatewatch.outbox.pending", this, g -> g.last.pending())
                    .description("Alerts in the outbox not delivered or given up yet (due, or waiting out a retry delay or a mute)")
                    .register(metrics);
            Gauge.builder("gatewatch.outbox.oldest.due", this, g -> g.oldestDueSeconds(Instant.now())).baseUnit("seconds")
                    .description("How long the alert due longest has waited for delivery (0 when none is due)").register(metrics);
        }
    }

    private double oldestDueSeconds(Instant now) {
        Instant due = last.oldestDue();
        return due == null ? 0 : Math.max(0, Duration.between(due, now).toMillis() / 1000.0);
    }

    @Scheduled(every = "${gatewatch.notifier.metrics-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (!config.roles().contains(GatewatchConfig.Role.notifier)) {
            return;
        }
        BoundedQuery.Answer<OutboxStore.Depth> answer = query.ask(Duration.ofSeconds(5));
        if (answer.ok()) {
            last = answer.value();
            faults.recovered(null);
        } else {
            faults.failed(answer.error() + " (the outbox gauges keep their last values)");
        }
    }
}
