-- When the flow timers are next due for a session (its reminder or its expiry), null when nothing is: set with the
-- session's state each time it is stored, so that a timer pass reads only the sessions whose time has come, in due
-- order, instead of every waiting session.
alter table flow_session add column due_at timestamp with time zone;

-- The timeouts and whether a reminder went out are inside the encrypted state, so the migration cannot work out the
-- due time of a session waiting now: it is due at once, and the first pass puts its real due time in place (firing
-- what was due, as the timers did before).
update flow_session set due_at = updated_at where status = 'ACTIVE';

create index flow_session_due on flow_session (due_at, conversation_id);

-- It served only the timers' old scan of waiting sessions.
drop index flow_session_waiting;
