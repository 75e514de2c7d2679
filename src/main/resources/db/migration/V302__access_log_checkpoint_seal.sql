-- The retention checkpoint and the boundary of the entries from before the chain, sealed with a keyed hash under
-- the index key (which is not in the database): whoever can write the database but holds no key cannot move the
-- checkpoint past entries he deleted, nor pass off entries he inserted as older than the chain. Null until the
-- first retention run or `audit seal`; a record never cut and with no older entries needs none.
alter table access_log_head add column checkpoint_seal bytea;
