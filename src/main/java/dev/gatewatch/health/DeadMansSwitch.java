package dev.gatewatch.health;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.config.GatewatchConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Pings {@code gatewatch.heartbeat.url} while this instance's readiness is UP (its database, and each stage it runs:
 * results stored, judged, alerts delivered), so that a service outside (healthchecks.io, Dead Man's Snitch, a cron
 * monitor) pages when Gatewatch itself is down or stuck: silence is the alarm.
 */
@ApplicationScoped
public class DeadMansSwitch {

    private static final Logger LOG = Logger.getLogger(DeadMansSwitch.class);

    private final GatewatchConfig config;
    private final SmallRyeHealthReporter health;
    private final WebClient client;
    private final FaultLog faults;
    private final Counter sent;
    private final Counter failed;
    private final Counter withheld;

    public DeadMansSwitch(GatewatchConfig config, SmallRyeHealthReporter health, Vertx vertx, MeterRegistry metrics) {
        this.config = config;
        this.health = health;
        this.faults = new FaultLog(LOG, "heartbeat").counted(metrics, "heartbeat");
        this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(true)
                .setConnectTimeout((int) config.heartbeat().timeout().toMillis()));
        this.sent = pings(metrics, "sent");
        this.failed = pings(metrics, "failed");
        this.withheld = pings(metrics, "withheld");
    }

    @Scheduled(every = "${gatewatch.heartbeat.interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        config.heartbeat().url().ifPresent(this::beat);
    }

    private void beat(String url) {
        SmallRyeHealth readiness = health.getReadiness();
        if (readiness.isDown()) {
            withheld.increment();
            faults.failed("not pinged, readiness is DOWN: " + readiness.getPayload());
            return;
        }
        try {
            var response = client.getAbs(URI.create(url).toString()).timeout(config.heartbeat().timeout().toMillis()).send()
                    .toCompletionStage().toCompletableFuture().get(config.heartbeat().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (response.statusCode() >= 400) {
                throw new IllegalStateException("answered HTTP " + response.statusCode());
            }
            sent.increment();
            faults.recovered("pinged " + shown(url));
        } catch (Exception e) {
            failed.increment();
            faults.failed("ping to " + shown(url) + " failed: " + String.valueOf(e.getCause() != null ? e.getCause() : e).replace(url, shown(url)));
        }
    }

    /** Scheme and host only: a ping URL's path is its credential (whoever has it can ping and silence the alarm). */
    static String shown(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort()) + "/…";
        } catch (IllegalArgumentException e) {
            return "(the configured gatewatch.heartbeat.url)";
        }
    }

    private static Counter pings(MeterRegistry metrics, String outcome) {
        return Counter.builder("gatewatch.heartbeat.pings").tag("outcome", outcome)
                .description("Dead man's switch pings: sent, failed, or withheld while readiness was DOWN").register(metrics);
    }
}
