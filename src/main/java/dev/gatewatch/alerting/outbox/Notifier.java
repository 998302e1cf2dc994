package dev.gatewatch.alerting.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.api.FaultLog;
import dev.gatewatch.api.Sql;
import dev.gatewatch.alerting.AlertChannel;
import dev.gatewatch.alerting.Message;
import dev.gatewatch.alerting.Outcome;
import dev.gatewatch.alerting.digest.Digests;
import dev.gatewatch.alerting.mute.Mute;
import dev.gatewatch.alerting.mute.Muter;
import dev.gatewatch.alerting.mute.Release;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.config.PublicUrl;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The notifier role: claims due alerts from the outbox, sends them through their channel, and records the outcome
 * with retries (see {@link Backoff}). Sends run on a bounded pool with at most {@code channel-concurrency} in flight
 * per channel, and the loop claims again whenever a sender is free, so one receiver that hangs never delays another
 * channel. A row whose data cannot be built or stored is set aside (failed, with the reason); it never holds up the
 * rest. Any number of instances may run.
 */
@ApplicationScoped
public class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final GatewatchConfig config;
    private final Map<String, AlertChannel> channels;
    private final OutboxStore store;
    private final OutboxClaims claims;
    private final List<Muter> muters;
    private final Reminders reminders;
    private final Digests digests;
    private final Backoff backoff;
    private final MeterRegistry metrics;
    private final String nodeId = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost") + "-notifier-"
            + UUID.randomUUID().toString().substring(0, 8);
    private final Semaphore free;
    private final FaultLog loopFaults;
    private final FaultLog scanFaults;
    private final FaultLog recordFaults;
    private final BlockingQueue<Boolean> finished = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread loop;
    private ExecutorService senders;

    public Notifier(GatewatchConfig config, Instance<AlertChannel> channels, Instance<Muter> muters, Reminders reminders,
                    Digests digests, AgroalDataSource dataSource, ObjectMapper json, MeterRegistry metrics) {
        var n = config.notifier();
        this.config = config;
        this.reminders = reminders;
        this.digests = digests;
        this.metrics = metrics;
        this.loopFaults = new FaultLog(LOG, "notifier").counted(metrics, "notifier");
        this.scanFaults = new FaultLog(LOG, "notifier: reminders and digests").counted(metrics, "reminders");
        this.recordFaults = new FaultLog(LOG, "notifier: recording an attempt").counted(metrics, "delivery_record");
        this.muters = muters.stream().toList();
        this.channels = channels.stream().collect(Collectors.toMap(AlertChannel::type, Function.identity()));
        this.store = new OutboxStore(dataSource);
        this.claims = new OutboxClaims(dataSource, json, PublicUrl.of(config), store, this::setAside);
        this.backoff = new Backoff(n.initialBackoff(), n.maxBackoff(), n.unconfirmedBackoff());
        this.free = new Semaphore(Math.max(1, n.senders()));
        // Series at zero from the start, so a first increase shows on a dashboard.
        this.channels.keySet().forEach(this::duplicates);
        this.channels.keySet().forEach(type -> List.of(Outcome.Result.values()).forEach(r -> deliveries(type, r)));
        List.of("load", "build", "answer", "store").forEach(this::setAsideCount);
    }

    void start(@Observes StartupEvent event) {
        if (!config.roles().contains(GatewatchConfig.Role.notifier)) {
            return;
        }
        running = true;
        senders = Executors.newFixedThreadPool(free.availablePermits(), r -> {
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

    /** Claims as many alerts as there are free senders; waits for a send to finish or the poll interval otherwise. */
    private void run() {
        var n = config.notifier();
        while (running) {
            try {
                int wanted = Math.min(free.availablePermits(), n.batchSize());
                List<Delivery> claimed = wanted == 0 ? List.of() : claims.claim(nodeId, wanted, n.channelConcurrency(), n.lease());
                for (Delivery d : claimed) {
                    free.acquire();
                    senders.execute(() -> {
                        try {
                            deliver(d);
                        } finally {
                            free.release();
                            finished.offer(Boolean.TRUE);
                        }
                    });
                }
                loopFaults.recovered(null);
                if (wanted == 0 || claimed.size() < wanted) {
                    // Nothing more is due, or the rest waits for its channel: a finished send may free one.
                    finished.poll(n.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    finished.clear();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                loopFaults.failed(e.getMessage() + " (retrying)");
                try {
                    Thread.sleep(n.pollInterval().toMillis() * 4);
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
            scanFaults.recovered(null);
        } catch (RuntimeException | SQLException e) {
            scanFaults.failed(e.getMessage() + " (retrying at the next scan)");
        }
    }

    /** The pipeline for one alert: mute → release (still worth sending?) → build → send → record. */
    private void deliver(Delivery d) {
        try {
            if (d.alert() != null && !release(d)) {
                return;
            }
            AlertChannel channel = channels.get(d.channelType());
            if (channel == null) {
                deliveries("unknown", Outcome.Result.PERMANENT).increment();
                record(d, Outcome.permanent("no channel type '" + d.channelType() + "' in this version"), false);
                return;
            }
            Message m;
            try {
                m = d.alert() != null ? channel.build(d.alert(), d.channel()) : channel.digest(d.digest(), d.channel());
            } catch (RuntimeException e) {
                // Building is pure: the same data fails the same way every time, so it is not retried.
                failAside(d, "build", "the message could not be built: " + e);
                return;
            }
            Outcome outcome;
            try {
                outcome = channel.send(m, d.channel(), d.idempotencyKey());
            } catch (RuntimeException e) {
                outcome = Outcome.retry(e.toString(), null);
            }
            deliveries(d.channelType(), outcome.result()).increment();
            if (d.unconfirmedSends() > 0 && outcome.mayHaveArrived()) {
                duplicates(d.channelType()).increment();
            }
            record(d, outcome, channel.idempotent());
            recordFaults.recovered(null);
        } catch (Exception e) {
            if (Sql.dataError(e)) {
                failAside(d, "store", "its data could not be stored: " + e.getMessage());
            } else {
                // Connection trouble: the claim runs out and another attempt follows.
                recordFaults.failed("notification " + d.id() + ": " + e.getMessage() + " (tried again when its claim runs out)");
            }
        }
    }

    /** Stores the outcome; if PostgreSQL refuses the receiver's answer (a NUL byte, say), stores it without the answer. */
    private void record(Delivery d, Outcome outcome, boolean idempotent) throws SQLException {
        int unconfirmed = d.unconfirmedSends() + (outcome.unconfirmed() ? 1 : 0);
        Duration wait = backoff.after(d.attempts(), outcome, idempotent, unconfirmed, ThreadLocalRandom.current().nextDouble());
        var n = config.notifier();
        try {
            store.record(d, nodeId, outcome, wait, n.giveUpAfter());
        } catch (SQLException e) {
            if (!Sql.dataError(e)) {
                throw e;
            }
            setAside(d.id(), "answer", "the receiver's answer could not be stored: " + e.getMessage());
            store.record(d, nodeId, outcome.withResponse("(the receiver's answer could not be stored: SQLSTATE " + e.getSQLState() + ")"),
                    wait, n.giveUpAfter());
        }
    }

    private void failAside(Delivery d, String stage, String reason) {
        try {
            store.fail(d.id(), nodeId, reason);
            setAside(d.id(), stage, reason);
        } catch (Exception e) {
            LOG.warnf("notifier: setting notification %d aside failed: %s", d.id(), e.getMessage());
        }
    }

    /** One log line and a count for each alert whose data could not be handled. */
    private void setAside(long notificationId, String stage, String reason) {
        LOG.warnf("notifier: notification %d set aside (%s): %s", notificationId, stage, OutboxStore.printable(reason));
        setAsideCount(stage).increment();
    }

    private Counter setAsideCount(String stage) {
        return Counter.builder("gatewatch.alert.set.aside").description("Alerts whose data could not be read, built or stored, by stage")
                .tag("stage", stage).register(metrics);
    }

    /** Channel types are the installed channels' (plus "unknown"), outcomes the enum's: bounded tag values. */
    private Counter deliveries(String type, Outcome.Result result) {
        return Counter.builder("gatewatch.alert.deliveries")
                .description("Attempts to deliver an alert or digest, by channel type and outcome (delivered, retry, permanent)")
                .tag("channel_type", type).tag("outcome", result.name().toLowerCase(java.util.Locale.ROOT)).register(metrics);
    }

    private Counter duplicates(String type) {
        return Counter.builder("gatewatch.alert.duplicate.sends")
                .description("Sends of an alert that an earlier, unanswered attempt may already have delivered")
                .tag("channel_type", type).register(metrics);
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

    /** The channel of a type, or null if this version has none. */
    public AlertChannel channel(String type) {
        return channels.get(type);
    }

    public java.util.Set<String> types() {
        return channels.keySet();
    }
}
