-- When a pending update that failed may be tried again: a failed attempt is retried after a wait that grows with the
-- attempts counted, and a failure of the database itself (not counted) after the first wait. Null: at once. The
-- sender's later updates wait behind it, as behind any pending update of his.
alter table inbound_update add column retry_at timestamp with time zone;
