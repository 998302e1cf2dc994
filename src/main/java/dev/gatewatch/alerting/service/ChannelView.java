package dev.gatewatch.alerting.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert channel as the API shows it: secrets only by name.
 *
 * @param secretsSet names of the secrets that are set (their values are never shown)
 * @param lastError  the receiver's answer to the last alert that could not be delivered
 * @param monitorIds the monitors that alert through this channel
 */
public record ChannelView(long id, String type, String name, Map<String, Object> settings, List<String> secretsSet,
                          boolean enabled, List<Long> monitorIds, Instant lastSuccessAt, Instant lastErrorAt, String lastError, Instant createdAt,
                          Instant updatedAt) {

    /** A monitor the owner can attach a channel to. */
    public record MonitorChoice(long id, String name, String url) {
    }

    /** The answer to a test send. */
    public record TestResult(boolean delivered, String result, String response) {
    }

    /**
     * One alert sent (or being sent) through a channel.
     *
     * @param event      opened, escalated, recovered, reminder or digest (incidentId is null for a digest)
     * @param status     pending, sending, muted (held until nextAttemptAt), delivered, failed, suppressed (never sent,
     *                   lastError says why)
     * @param mutedBy    the maintenance window or silence that held it, if one did
     * @param unconfirmedSends attempts that went out but got no answer: the receiver may have got the alert that often
     *                   more (Slack has no idempotency key to drop repeats)
     */
    public record DeliveryView(long id, Long incidentId, String event, String status, String mutedBy, int attempts, Instant createdAt,
                               Instant nextAttemptAt, Instant deliveredAt, String lastResponse, String lastError, int unconfirmedSends) {
    }
}
