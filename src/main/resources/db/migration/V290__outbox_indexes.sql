-- Every statement on an endpoint's outbox (the due window in (channel, endpoint, state, priority, id) order, the
-- messages in flight, the backlog's count) is served by outbox_message_priority_queue, whose leading columns these
-- two repeat: each was written again at every insert and every change of state (pending, sending, sent) for nothing.
drop index outbox_message_queue;
drop index outbox_message_due;
