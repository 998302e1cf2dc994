-- Alert channels of an owner: Slack incoming webhooks, e-mail recipients, generic webhooks.
create table alert_channel (
    id              bigserial   primary key,
    owner_id        bigint      not null references owner (id) on delete cascade,
    type            text        not null,
    name            text        not null,
    -- Settings shown in the API; secrets (Slack webhook URL, webhook signing secret) live apart and are never shown.
    settings        jsonb       not null,
    secrets         jsonb       not null default '{}',
    enabled         boolean     not null default true,
    last_success_at timestamptz,
    last_error_at   timestamptz,
    last_error      text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index alert_channel_owner_idx on alert_channel (owner_id);

-- The outbox: one row per (incident event, channel), written in the transaction that records the event (trigger
-- below), delivered by notifier workers that claim rows with FOR UPDATE SKIP LOCKED.
create table notification (
    id              bigserial   primary key,
    event_id        bigint      not null references incident_event (id) on delete cascade,
    channel_id      bigint      not null references alert_channel (id) on delete cascade,
    owner_id        bigint      not null,
    -- Sent to webhook receivers (Idempotency-Key header) so they can drop the rare second delivery.
    idempotency_key text        not null unique,
    status          text        not null default 'pending'
                                check (status in ('pending', 'sending', 'delivered', 'failed')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_by      text,
    claimed_until   timestamptz,
    last_error      text,
    last_response   text,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz,
    unique (event_id, channel_id)
);
create index notification_due_idx on notification (next_attempt_at) where status in ('pending', 'sending');
create index notification_channel_idx on notification (channel_id, id desc);

-- Alerting events (opened, escalated, recovered; never a cleared deploy blip) fan out to the monitor's enabled
-- channels in the same transaction.
create function gw_enqueue_notifications() returns trigger language plpgsql as
$$
begin
    insert into notification (event_id, channel_id, owner_id, idempotency_key)
    select new.id, c.id, c.owner_id, 'gw-' || new.id || '-' || c.id
    from incident i
    join monitor m on m.id = i.monitor_id
    join alert_channel c on c.owner_id = m.owner_id and c.enabled
         and m.channel_ids @> to_jsonb(c.id)
    where i.id = new.incident_id
    on conflict do nothing;
    return new;
end
$$;

create trigger incident_event_notify after insert on incident_event
    for each row when (new.type in ('opened', 'escalated', 'recovered'))
    execute function gw_enqueue_notifications();
