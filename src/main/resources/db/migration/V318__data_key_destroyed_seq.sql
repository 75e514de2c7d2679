-- The order in which erasing transactions committed, so that a start can ask for the keys destroyed since it last
-- looked instead of all of them. Each transaction that destroys keys takes the next number from
-- data_key_destruction_count just before it commits and gives it to its keys; the row's lock is held until the
-- commit, so a number is visible only once every smaller one is. Keys destroyed before are number 0.
alter table data_key add column destroyed_seq bigint;
update data_key set destroyed_seq = 0 where wrapped_key is null;
create index data_key_destroyed_seq on data_key (destroyed_seq);
create table data_key_destruction_count (
    id       integer primary key,
    last_seq bigint not null,
    constraint data_key_destruction_count_one check (id = 1)
);
insert into data_key_destruction_count (id, last_seq) values (1, 0);
