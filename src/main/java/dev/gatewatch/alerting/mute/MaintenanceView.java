package dev.gatewatch.alerting.mute;

import java.time.Instant;
import java.util.List;

/**
 * A maintenance window as the API shows it.
 *
 * @param activeNow whether alerts are held by it right now
 * @param next      the occurrence on now, or the next one to come; null when it will not come again
 */
public record MaintenanceView(long id, String name, List<Long> monitorIds, Instant startsAt, Instant endsAt,
                              MaintenanceRequest.RecurrenceRequest recurrence, boolean activeNow, Occurrence next,
                              Instant createdAt) {
}
