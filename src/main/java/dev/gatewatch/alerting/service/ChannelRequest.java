package dev.gatewatch.alerting.service;

import java.util.List;
import java.util.Map;

/**
 * An alert channel to create or replace.
 *
 * @param type     slack, email or webhook
 * @param settings shown in the API: webhook {@code url}; e-mail {@code recipients} (list)
 * @param secrets  write-only: Slack {@code webhookUrl}; webhook {@code secret}. On replace, a secret left out is kept
 *                 (all types: {@code digest} true for the daily digest, {@code digestAt} HH:mm, {@code timeZone})
 * @param secrets  write-only: Slack {@code webhookUrl}; webhook {@code secret}. On replace, a secret left out is kept
 * @param enabled  default true; a disabled channel gets nothing
 * @param monitorIds the monitors that alert through this channel; absent: left as they are
 */
public record ChannelRequest(String type, String name, Map<String, Object> settings, Map<String, String> secrets, Boolean enabled,
                             List<Long> monitorIds) {
}
