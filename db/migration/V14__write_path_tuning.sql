-- Tables updated in place on every check: leave a third of each page free, so that an update whose indexed columns do
-- not change (check_latest always, the schedule's claims, the analysis state) stays on its page as a HOT update and
-- touches no index; and vacuum them often, since each holds a few rows per monitor and churns all day.
alter table check_latest set (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
alter table check_schedule set (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
alter table analysis_state set (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);

-- Minute rollups are written once a minute has ended, from totals merged in memory: they need no histogram to merge
-- into (hour and day rollups keep theirs). Older rows keep what they have.
alter table check_rollup_minute alter column hist drop not null;
