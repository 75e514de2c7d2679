-- Replies in a conversation (0: a flow answering the requester, an operator's reply) go out before messages nobody
-- is waiting for (1: reminders, notices), within each recipient's order.
alter table outbox_message add column priority smallint default 0 not null;
create index outbox_message_priority_queue on outbox_message (channel, endpoint, state, priority, id);
