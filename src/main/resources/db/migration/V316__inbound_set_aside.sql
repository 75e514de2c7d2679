-- What an admin is shown of an update set aside after its last attempt (/console/inbound-failed, inbound failed
-- list): when it was set aside, and the conversation it was handed to the operators in (none when there was nobody
-- to hand over). An update an admin discards keeps its row, without its payload, as DISCARDED until retention.
alter table inbound_update add column set_aside_at timestamp with time zone;
alter table inbound_update add column conversation_id uuid;
