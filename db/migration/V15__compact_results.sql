-- A raw result names its checker (and so its region) and its resolver by a small key into a dictionary instead of
-- repeating their text in every row, keeps no recorded_at (the writer's id order says what was stored when), and the
-- writer stores final_url only after a redirect. Together that is about half of a healthy row.
-- Dictionary rows are never deleted: a checker process adds one row when it starts, a resolver one row the first time
-- any monitor uses it.
create table result_checker (
    id         integer generated always as identity primary key,
    checker_id text not null,
    region     text not null,
    unique (checker_id, region)
);

create table result_resolver (
    id       integer generated always as identity primary key,
    resolver text not null unique
);

insert into result_checker (checker_id, region) select distinct checker_id, region from check_result;
insert into result_resolver (resolver) select distinct resolver from check_result;

-- Rewrites every raw result kept (once, at this upgrade).
alter table check_result add column checker_key integer, add column resolver_key integer;
update check_result r set checker_key = c.id, resolver_key = v.id
from result_checker c, result_resolver v
where c.checker_id = r.checker_id and c.region = r.region and v.resolver = r.resolver;
alter table check_result alter column checker_key set not null, alter column resolver_key set not null;
alter table check_result drop column region, drop column resolver, drop column checker_id, drop column recorded_at;

-- Every result with its region, resolver and checker spelled out: what readers and ad-hoc queries use.
create view check_result_full as
select r.*, c.region, v.resolver, c.checker_id
from check_result r
join result_checker c on c.id = r.checker_key
join result_resolver v on v.id = r.resolver_key;
