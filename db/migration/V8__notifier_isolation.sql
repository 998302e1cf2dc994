-- Attempts whose request went out but got no answer (a timeout after it was written, or a notifier that vanished
-- holding the claim): the receiver may have acted on them, so the next send of the alert is a possible duplicate.
alter table notification add column unconfirmed_sends integer not null default 0;

-- The claim counts each channel's sends in flight to keep them under the per-channel limit.
create index notification_in_flight_idx on notification (channel_id) where status = 'sending';
