-- The access record becomes a hash chain: each entry carries its sequence number and the SHA-256 of the previous
-- entry's hash and its own fields (org.lifeline.operators.AccessChain), so editing, deleting, inserting or
-- reordering entries is detected by `audit verify`.
alter table access_log add column seq bigint;
alter table access_log add column entry_hash varchar(64);
create unique index access_log_seq on access_log (seq);

-- One row: the newest entry (appends lock it, so nodes append one at a time) and the checkpoint where retention
-- cut the chain (the last removed entry), from which verification starts. Entries written before the chain
-- existed (id up to legacy_until_id) stay unchained and are reported as such.
create table access_log_head (
    id               integer      primary key check (id = 1),
    seq              bigint       not null,
    entry_hash       varchar(64)  not null,
    checkpoint_seq   bigint       not null,
    checkpoint_hash  varchar(64)  not null,
    legacy_until_id  bigint       not null
);
insert into access_log_head (id, seq, entry_hash, checkpoint_seq, checkpoint_hash, legacy_until_id)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0,
        '0000000000000000000000000000000000000000000000000000000000000000',
        (select coalesce(max(id), 0) from access_log));
