-- A destroyed key must carry its place in the order of erasures (data_key.destroyed_seq, V318): a node still running
-- code from before V318 destroyed keys without one, and every start that had settled its journal (V319) asked only for
-- keys numbered after its record, so it never journalled them, and a database restored from an older backup kept
-- them live. The database now refuses such a destroy: the old node's erasure fails and is retried, not lost.
-- Keys destroyed so since V318 take one new number, above every record, so that each node's next start journals them.
update data_key_destruction_count set last_seq = last_seq + 1
where id = 1 and exists (select 1 from data_key where destroyed_at is not null and destroyed_seq is null);
update data_key set destroyed_seq = (select last_seq from data_key_destruction_count where id = 1)
where destroyed_at is not null and destroyed_seq is null;
alter table data_key add constraint data_key_destroyed_numbered check (destroyed_at is null or destroyed_seq is not null);
