-- Checker nodes: one row per running checker process, so the API knows which regions are live.
create table checker_node (
    id                text primary key,
    region            text        not null,
    host              text        not null,
    version           text        not null,
    started_at        timestamptz not null,
    last_seen_at      timestamptz not null,
    stopped_at        timestamptz,
    in_flight         integer     not null default 0,
    checks_per_minute integer     not null default 0,
    buffered          integer     not null default 0,
    dropped           bigint      not null default 0
);
create index checker_node_region_idx on checker_node (region, last_seen_at desc);

-- When each (monitor, region) is due next. Checkers of a region claim due rows with FOR UPDATE SKIP LOCKED and
-- hold them by a lease; the result writer advances next_due_at in the transaction that stores the results.
create table check_schedule (
    monitor_id   bigint      not null references monitor (id) on delete cascade,
    region       text        not null,
    next_due_at  timestamptz not null,
    leased_until timestamptz,
    leased_by    text,
    primary key (monitor_id, region)
);
create index check_schedule_due_idx on check_schedule (region, next_due_at);

-- Raw results, one row per (monitor, region, resolver) check, partitioned by day of started_at (UTC).
-- No foreign key to monitor: a deleted monitor's history ages out with its partitions.
create sequence check_result_id_seq;
create table check_result (
    id                 bigint      not null default nextval('check_result_id_seq'),
    monitor_id         bigint      not null,
    region             text        not null,
    resolver           text        not null,
    checker_id         text        not null,
    due_at             timestamptz not null,
    started_at         timestamptz not null,
    ok                 boolean     not null,
    status             smallint,
    error_class        text,
    error_message      text,
    dns_ms             integer,
    connect_ms         integer,
    tls_ms             integer,
    ttfb_ms            integer,
    download_ms        integer,
    total_ms           integer     not null,
    resolved_ip        text,
    redirects          smallint    not null default 0,
    final_url          text,
    body_bytes         integer,
    server             text,
    cdn_provider       text,
    cdn_pop            text,
    cdn_request_id     text,
    error_source       text,
    error_generator    text,
    error_body         text,
    tls_expires_at     timestamptz,
    assertion_failures jsonb,
    recorded_at        timestamptz not null default now()
) partition by range (started_at);
create index check_result_monitor_time_idx on check_result (monitor_id, started_at desc);

-- The newest result of every (monitor, region, resolver): what the dashboard and analyzer read first.
create table check_latest (
    monitor_id  bigint      not null references monitor (id) on delete cascade,
    region      text        not null,
    resolver    text        not null,
    result_id   bigint      not null,
    started_at  timestamptz not null,
    ok          boolean     not null,
    status      smallint,
    error_class text,
    total_ms    integer     not null,
    resolved_ip text,
    cdn_pop     text,
    primary key (monitor_id, region, resolver)
);

-- Latency histograms: bucket i holds totals in (1.25^(i-1), 1.25^i] ms (bucket 0: up to 1 ms), 60 buckets.
-- Sums of histograms are exact, so rollups merge batch by batch; percentiles are read at the bucket's
-- geometric middle (within about 12%) and never above the exact maximum.
create function gw_hist_add(a integer[], b integer[]) returns integer[]
    language sql immutable parallel safe as
$$
select array_agg(coalesce(x, 0) + coalesce(y, 0) order by i) from unnest(a, b) with ordinality as t(x, y, i)
$$;

create function gw_hist_quantile(h integer[], q double precision, max_ms integer) returns integer
    language sql immutable parallel safe as
$$
select least(round(power(1.25, i - 1.5))::integer, max_ms)
from (select i, sum(x) over (order by i) as cum, sum(x) over () as total
      from unnest(h) with ordinality as t(x, i)) s
where total > 0 and cum >= q * total
order by i
limit 1
$$;

-- Rollups per monitor, region and resolver. Latency figures cover successful checks only.
create table check_rollup_minute (
    monitor_id   bigint      not null,
    bucket       timestamptz not null,
    region       text        not null,
    resolver     text        not null,
    checks       integer     not null,
    failures     integer     not null,
    ok_total_ms  bigint      not null,
    max_ms       integer,
    p50_ms       integer,
    p95_ms       integer,
    hist         integer[]   not null,
    primary key (monitor_id, bucket, region, resolver)
) partition by range (bucket);

create table check_rollup_hour (like check_rollup_minute including all) partition by range (bucket);
