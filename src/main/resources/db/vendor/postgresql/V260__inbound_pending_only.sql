-- The claim window reads the oldest pending updates in id order. Through inbound_update_pending (state, id) that is a
-- bounded read, but with statistics taken while a backlog waited (most rows pending) PostgreSQL preferred the primary
-- key in id order, filtering on the state: every claim then read the whole history of processed updates before the
-- first pending one (2 ms a claim at 12,000 rows, the most of a worker's database time; growing with the history).
-- An index of the pending updates alone is the cheapest way to id order under any statistics, and stays small.
create index inbound_update_pending_only on inbound_update (id) where state = 'PENDING';
drop index inbound_update_pending;
-- A queue table: every processed update leaves a dead row version, and dead entries in the index above that each
-- window read steps over until they are vacuumed. Vacuum it after a few thousand changes, not a fifth of the table.
alter table inbound_update set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);
