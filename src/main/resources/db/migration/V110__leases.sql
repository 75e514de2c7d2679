-- Who sends for an endpoint (or polls a bot) is a lease, claimed and renewed in short transactions, instead of a
-- row lock held while the network is called: no transaction or pooled connection waits on Telegram.
alter table channel_endpoint add column lease_owner varchar(64);
alter table channel_endpoint add column lease_until timestamp with time zone;

-- The dispatcher reads an endpoint's due messages in id order and asks whether a recipient has an earlier one still
-- waiting: both are index range reads in key order, whatever the planner's statistics.
create index outbox_message_queue on outbox_message (channel, endpoint, state, id);
create index outbox_message_recipient_state on outbox_message (recipient_ref, state, id);
drop index outbox_message_recipient;
