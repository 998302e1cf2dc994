-- Planned maintenance: one-off (starts_at .. ends_at) or recurring (recurrence, optionally bounded by starts_at and
-- ends_at). Alerts for the listed monitors (none listed: all of the owner's) are held while a window is on.
create table maintenance_window (
    id          bigserial   primary key,
    owner_id    bigint      not null references owner (id) on delete cascade,
    name        text        not null,
    monitor_ids jsonb       not null default '[]',
    starts_at   timestamptz,
    ends_at     timestamptz,
    -- {"days":["MONDAY",...] (empty: daily),"start":"02:00","durationMinutes":90,"timeZone":"Europe/Berlin"}
    recurrence  jsonb,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    check (recurrence is not null or (starts_at is not null and ends_at is not null and ends_at > starts_at))
);
create index maintenance_window_owner_idx on maintenance_window (owner_id);

-- Ad-hoc silences: "quiet for the next two hours", one monitor or (monitor_id null) all of the owner's.
create table silence (
    id         bigserial   primary key,
    owner_id   bigint      not null references owner (id) on delete cascade,
    monitor_id bigint      references monitor (id) on delete cascade,
    reason     text        not null,
    starts_at  timestamptz not null default now(),
    ends_at    timestamptz not null,
    created_at timestamptz not null default now(),
    check (ends_at > starts_at)
);
create index silence_owner_idx on silence (owner_id, ends_at);

-- Reminders while an incident stays open: off (null) or every n minutes (at least 5).
alter table monitor add column reminder_minutes integer check (reminder_minutes between 5 and 10080);

-- The daily digest of deploy blips and other short failures that did not page, one per channel and period.
create table digest (
    id           bigserial   primary key,
    owner_id     bigint      not null references owner (id) on delete cascade,
    channel_id   bigint      not null references alert_channel (id) on delete cascade,
    period_start timestamptz not null,
    period_end   timestamptz not null,
    content      jsonb       not null,
    created_at   timestamptz not null default now(),
    unique (channel_id, period_end)
);

-- A notification now carries an incident event or a digest; muted rows wait for their window to end (next_attempt_at),
-- suppressed rows were never sent on purpose (the reason is in last_error).
alter table notification alter column event_id drop not null;
alter table notification add column digest_id bigint references digest (id) on delete cascade;
alter table notification add column muted_by text;
alter table notification add constraint notification_subject_check check ((event_id is null) <> (digest_id is null));
alter table notification drop constraint notification_status_check;
alter table notification add constraint notification_status_check
    check (status in ('pending', 'sending', 'muted', 'delivered', 'failed', 'suppressed'));
drop index notification_due_idx;
create index notification_due_idx on notification (next_attempt_at) where status in ('pending', 'sending', 'muted');

drop trigger incident_event_notify on incident_event;
create trigger incident_event_notify after insert on incident_event
    for each row when (new.type in ('opened', 'escalated', 'recovered', 'reminder'))
    execute function gw_enqueue_notifications();
