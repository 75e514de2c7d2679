-- PostgreSQL's V260 replaces inbound_update_pending (state, id) by a partial index of the pending updates. H2 has no
-- partial indexes, updates its rows in place (no dead index entries) and keeps (state, id) for the claim window.
select 1;
