-- On-demand diagnosis: a URL checked at once from every live region through several resolvers.

-- One request. Its random id is the shareable link; the checks it asks for are frozen in "probe" (JSON), so a monitor
-- changed or deleted later does not change what the page shows.
create table diagnosis (
    id          uuid primary key,
    owner_id    bigint references owner (id) on delete cascade,   -- null: anonymous
    monitor_id  bigint references monitor (id) on delete set null,
    url         text not null,
    url_key     text not null,                                     -- the URL normalised, for reuse of recent answers
    probe       jsonb not null,
    resolvers   text[] not null,
    regions     text[] not null,                                   -- the live regions asked
    client_key  text,                                              -- a keyed hash of the anonymous client's address
    slow_ms     integer not null,
    created_at  timestamptz not null default now(),
    deadline_at timestamptz not null,                              -- regions without answers by then did not answer
    expires_at  timestamptz not null
);
create index diagnosis_anonymous_url_idx on diagnosis (url_key, created_at desc) where owner_id is null;
create index diagnosis_client_idx on diagnosis (client_key, created_at desc) where client_key is not null;
create index diagnosis_monitor_idx on diagnosis (monitor_id, created_at desc) where monitor_id is not null;
create index diagnosis_owner_idx on diagnosis (owner_id, created_at desc) where owner_id is not null;
create index diagnosis_expires_idx on diagnosis (expires_at);

-- The work of one region: claimed by one of its checkers with a lease (another takes over if that one dies).
create table diagnosis_task (
    diagnosis_id  uuid not null references diagnosis (id) on delete cascade,
    region        text not null,
    claimed_by    text,
    claimed_until timestamptz,
    done_at       timestamptz,
    primary key (diagnosis_id, region)
);
create index diagnosis_task_open_idx on diagnosis_task (region) where done_at is null;

-- One check: region × resolver. A task done twice (a lease taken over) keeps the first answer.
create table diagnosis_result (
    diagnosis_id       uuid not null references diagnosis (id) on delete cascade,
    region             text not null,
    resolver           text not null,
    checker_id         text not null,
    started_at         timestamptz not null,
    ok                 boolean not null,
    status             smallint,
    error_class        text,
    error_message      text,
    dns_ms             integer,
    connect_ms         integer,
    tls_ms             integer,
    ttfb_ms            integer,
    download_ms        integer,
    total_ms           integer not null,
    resolved_ip        text,
    redirects          smallint not null default 0,
    final_url          text,
    server             text,
    cdn_provider       text,
    cdn_pop            text,
    cdn_request_id     text,
    error_source       text,
    error_generator    text,
    error_body         text,
    tls_expires_at     timestamptz,
    assertion_failures jsonb,
    primary key (diagnosis_id, region, resolver)
);

-- The key of the hash that stands for a client's address in rate limits: random per installation, so the stored
-- hashes cannot be reversed by hashing every IPv4 address.
create table diagnosis_salt (salt text not null);
insert into diagnosis_salt select md5(random()::text || clock_timestamp()::text) || md5(random()::text || pg_backend_pid()::text);
