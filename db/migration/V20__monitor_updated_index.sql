-- Each checker adds and drops its region's schedule rows every two seconds. Reading every monitor for that was an
-- anti-join of the whole table (195 ms a call at 100,000 monitors); between full passes it now reads the monitors
-- changed lately, through this index. Monitors change rarely, so it costs their writes next to nothing.
create index monitor_updated_idx on monitor (updated_at);
