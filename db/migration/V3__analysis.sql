-- Deployment markers posted by CI/CD pipelines; failures while one is in force are a deploy, not an outage.
create table deployment (
    id               bigserial   primary key,
    owner_id         bigint      not null references owner (id) on delete cascade,
    started_at       timestamptz not null,
    ended_at         timestamptz,
    expected_seconds integer,
    description      text,
    version          text,
    created_at       timestamptz not null default now()
);
create index deployment_owner_idx on deployment (owner_id, started_at desc);

create table deployment_monitor (
    deployment_id bigint not null references deployment (id) on delete cascade,
    monitor_id    bigint not null references monitor (id) on delete cascade,
    primary key (deployment_id, monitor_id)
);
create index deployment_monitor_monitor_idx on deployment_monitor (monitor_id);

-- The analyzer's state per monitor (the decision core's MonitorState as JSON). A row is locked FOR UPDATE SKIP
-- LOCKED while one analyzer evaluates the monitor, so exactly one acts on it; any instance continues after a restart.
create table analysis_state (
    monitor_id     bigint      primary key references monitor (id) on delete cascade,
    phase          text        not null default 'up',
    -- Something is going on (not UP, degraded open, or slow): evaluate every tick even without new results.
    active         boolean     not null default false,
    state          jsonb,
    last_result_id bigint      not null default 0,
    analyzed_at    timestamptz not null default '-infinity'
);

-- Episodes and incidents: deploy blips and transients (never confirmed) as well as outages, partial outages,
-- degraded and flapping incidents.
create table incident (
    id            bigserial   primary key,
    monitor_id    bigint      not null references monitor (id) on delete cascade,
    owner_id      bigint      not null,
    -- availability (suspect, deploy_blip, transient, outage, partial, flapping) or latency (degraded)
    track         text        not null,
    kind          text        not null,
    status        text        not null check (status in ('suspected', 'open', 'resolved')),
    started_at    timestamptz not null,
    confirmed_at  timestamptz,
    resolved_at   timestamptz,
    extent        text        not null,
    summary       text        not null,
    scope         jsonb       not null,
    evidence      jsonb       not null,
    explanation   jsonb       not null,
    deployment_id bigint      references deployment (id) on delete set null,
    updated_at    timestamptz not null default now()
);
create index incident_monitor_idx on incident (monitor_id, started_at desc);
create index incident_owner_idx on incident (owner_id, started_at desc);
-- At most one unresolved incident per monitor and track, whatever happens to the analyzers.
create unique index incident_one_unresolved on incident (monitor_id, track) where status <> 'resolved';

-- What happened to an incident, in order; alerting (issue 5) delivers from here.
create table incident_event (
    id          bigserial   primary key,
    incident_id bigint      not null references incident (id) on delete cascade,
    type        text        not null,
    kind        text        not null,
    at          timestamptz not null,
    summary     text        not null,
    recorded_at timestamptz not null default now()
);
create index incident_event_incident_idx on incident_event (incident_id, id);

-- Fast confirmation: while the analyzer suspects a monitor, its slots come every fast_every_ms until fast_until.
alter table check_schedule add column fast_until timestamptz, add column fast_every_ms integer;
