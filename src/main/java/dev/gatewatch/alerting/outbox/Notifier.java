package dev.gatewatch.alerting.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.alerting.AlertChannel;
import dev.gatewatch.alerting.Message;
import dev.gatewatch.alerting.Outcome;
import dev.gatewatch.alerting.digest.Digests;
import dev.gatewatch.alerting.mute.Mute;
import dev.gatewatch.alerting.mute.Muter;
import dev.gatewatch.alerting.mute.Release;
import dev.gatewatch.config.GatewatchConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The notifier role: claims due alerts from the outbox, sends them through their channel, and records the outcome
 * with retries (exponential backoff with jitter, or the receiver's Retry-After). Any number of instances may run.
 */
@ApplicationScoped
public class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final GatewatchConfig config;
    private final Map<String, AlertChannel> channels;
    private final OutboxStore store;
    private final List<Muter> muters;
    private final Reminders reminders;
    private final Digests digests;
    private final String nodeId = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost") + "-notifier-"
            + UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean running;
    private Thread loop;
    private ExecutorService senders;

    public Notifier(GatewatchConfig config, Instance<AlertChannel> channels, Instance<Muter> muters, Reminders reminders,
                    Digests digests, AgroalDataSource dataSource, ObjectMapper json) {
        this.config = config;
        this.reminders = reminders;
        this.digests = digests;
        this.muters = muters.stream().toList();
        this.channels = channels.stream().collect(Collectors.toMap(AlertChannel::type, Function.identity()));
        this.store = new OutboxStore(dataSource, json, config.web().baseUrl());
    }

    void start(@Observes StartupEvent event) {
        if (!config.roles().contains(GatewatchConfig.Role.notifier)) {
            return;
        }
        running = true;
        senders = Executors.newFixedThreadPool(Math.max(1, config.notifier().batchSize()), r -> {
            Thread t = new Thread(r, "alert-sender");
            t.setDaemon(true);
            return t;
        });
        loop = new Thread(this::run, "notifier");
        loop.setDaemon(true);
        loop.start();
        LOG.infof("notifier %s started", nodeId);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (loop != null) {
            loop.interrupt();
            senders.shutdown();
            try {
                senders.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                int n = deliverDue();
                if (n == 0) {
                    Thread.sleep(config.notifier().pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("notifier: %s (retrying)", e.getMessage());
                try {
                    Thread.sleep(config.notifier().pollInterval().toMillis() * 4);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Writes due reminders and daily digests into the outbox; any number of notifiers may scan at once. */
    @Scheduled(every = "${gatewatch.notifier.scan-interval:30s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        if (!running) {
            return;
        }
        try {
            reminders.remind();
            digests.compose(Instant.now());
        } catch (RuntimeException | SQLException e) {
            LOG.warnf("notifier: reminders and digests: %s (retrying at the next scan)", e.getMessage());
        }
    }

    /** One round: claims due alerts, sends them in parallel, records each; returns how many were claimed. */
    private int deliverDue() throws Exception {
        var n = config.notifier();
        List<Delivery> claimed = store.claim(nodeId, n.batchSize(), n.lease());
        var futures = claimed.stream().map(d -> java.util.concurrent.CompletableFuture.runAsync(() -> deliver(d), senders)).toList();
        for (var f : futures) {
            f.get();
        }
        return claimed.size();
    }

    /** The pipeline for one alert: mute → release (still worth sending?) → send → record. */
    private void deliver(Delivery d) {
        try {
            if (d.alert() != null && !release(d)) {
                return;
            }
        } catch (Exception e) {
            LOG.warnf("notifier: checking mutes for notification %d failed: %s", d.id(), e.getMessage());
            return;
        }
        AlertChannel channel = channels.get(d.channelType());
        Outcome outcome;
        if (channel == null) {
            outcome = Outcome.permanent("no channel type '" + d.channelType() + "' in this version");
        } else {
            try {
                Message m = d.alert() != null ? channel.build(d.alert(), d.channel()) : channel.digest(d.digest(), d.channel());
                outcome = channel.send(m, d.channel(), d.idempotencyKey());
            } catch (RuntimeException e) {
                outcome = Outcome.retry(e.toString(), null);
            }
        }
        try {
            store.record(d, nodeId, outcome, delay(d.attempts(), outcome.retryAfter()), config.notifier().giveUpAfter());
        } catch (Exception e) {
            // The claim runs out and another attempt follows; the idempotency key covers a double send.
            LOG.warnf("notifier: recording notification %d failed: %s", d.id(), e.getMessage());
        }
    }

    /** Holds, suppresses or postpones an incident alert that should not go out now; true if it should. */
    private boolean release(Delivery d) throws SQLException {
        Instant now = Instant.now();
        Mute mute = Mute.longest(muters.stream().map(m -> m.mute(d.ownerId(), d.alert().monitorId(), now))).orElse(null);
        if (mute != null) {
            if (d.alert().event().equals("reminder")) {
                store.suppress(d, nodeId, "muted by " + mute.by() + "; reminders are not saved up");
            } else {
                store.hold(d, nodeId, mute);
            }
            return false;
        }
        Release.Decision decision = Release.decide(store.situation(d));
        switch (decision.action()) {
            case SUPPRESS -> store.suppress(d, nodeId, decision.reason());
            case WAIT -> {
                Instant soon = now.plus(config.notifier().pollInterval().multipliedBy(2));
                Instant due = decision.waitUntil();
                store.postpone(d, nodeId, due != null && due.isAfter(soon) ? due : soon);
            }
            default -> {
                return true;
            }
        }
        return false;
    }

    /** The receiver's Retry-After if it gave one, else initial × 2^(attempt-1) capped at the maximum, plus up to 25%. */
    Duration delay(int attempt, Duration retryAfter) {
        var n = config.notifier();
        if (retryAfter != null) {
            return retryAfter.compareTo(n.maxBackoff()) > 0 ? n.maxBackoff() : retryAfter;
        }
        long base = n.initialBackoff().toMillis() << Math.min(20, Math.max(0, attempt - 1));
        long capped = Math.min(base, n.maxBackoff().toMillis());
        return Duration.ofMillis(capped + (long) (capped * 0.25 * ThreadLocalRandom.current().nextDouble()));
    }

    /** The channel of a type, or null if this version has none. */
    public AlertChannel channel(String type) {
        return channels.get(type);
    }

    public java.util.Set<String> types() {
        return channels.keySet();
    }
}
