-- The analyzer claims the monitors it was told of by key and the active ones (something going on: evaluated every
-- tick) from this index, instead of scanning every monitor's state on each claim. Only a change of `active` touches it,
-- so the state updates of every evaluation stay HOT.
create index analysis_state_active_idx on analysis_state (monitor_id) where active;
