-- Hour and day rollups are rewritten in place at every rollup flush (once a minute by default): leave room on each page
-- so that those updates stay HOT, reusing the page's space without an index entry or a vacuum. Partitioned tables take
-- no storage parameters: the partitions there now get it here, new ones when the checker creates them.
do $$
declare
    p record;
begin
    for p in select child.relname from pg_inherits i
             join pg_class child on child.oid = i.inhrelid join pg_class parent on parent.oid = i.inhparent
             where parent.relname in ('check_rollup_hour', 'monitor_rollup_hour', 'monitor_rollup_day') loop
        execute format('alter table %I set (fillfactor = 70)', p.relname);
    end loop;
end
$$;
