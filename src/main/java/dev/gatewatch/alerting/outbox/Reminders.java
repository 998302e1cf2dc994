package dev.gatewatch.alerting.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.api.Sql;
import io.agroal.api.AgroalDataSource;

/**
 * Reminders while an incident stays open, for monitors that ask for them: a "reminder" incident event every
 * {@code reminderMinutes} after the last alert, which the outbox trigger fans out like any other alert. Several
 * notifiers may scan at once: the incident row is locked (SKIP LOCKED), so one of them writes the reminder.
 */
@ApplicationScoped
public class Reminders {

    private final AgroalDataSource dataSource;

    public Reminders(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes the reminders that are due; returns how many. */
    public int remind() {
        return Sql.update(dataSource, """
                with due as (
                    select i.id, i.kind, i.started_at from incident i join monitor m on m.id = i.monitor_id
                    where i.status = 'open' and m.reminder_minutes is not null and not m.paused
                      and (select max(e.at) from incident_event e where e.incident_id = i.id
                           and e.type in ('opened', 'escalated', 'reminder')) <= now() - m.reminder_minutes * interval '1 minute'
                    for update of i skip locked)
                insert into incident_event (incident_id, type, kind, at, summary)
                select id, 'reminder', kind, now(), 'Still ' || kind || ' since ' || to_char(started_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
                from due
                """);
    }
}
