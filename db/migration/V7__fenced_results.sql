-- Fencing: every claim of a (monitor, region) slot takes the next lease epoch. The result writer stores a slot's results
-- only while the row still has the epoch the checker claimed it with, so a checker that was cut off past its lease and
-- writes late, after another checker redid the slot, cannot store a second copy.
alter table check_schedule add column lease_epoch bigint not null default 0;

-- How many characters of a result's text PostgreSQL could not hold (U+0000, unpaired surrogates) and were replaced by
-- U+FFFD before storing; null when none were.
alter table check_result add column replaced_chars integer;
