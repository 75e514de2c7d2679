-- How far this database has settled each erasure journal (a node's <data-dir>/keys/erasures.log, named by the random
-- id in its first line): every entry in its first settled_bytes is erased here, and every key destroyed here up to
-- settled_seq is in it. A start reads only the journal past that point and the keys destroyed since. Kept in the
-- database, so that a database restored from a backup brings back its own, older record and re-applies everything
-- the journal gained since.
create table erasure_journal_settled (
    journal_id    uuid primary key,
    settled_bytes bigint                   not null,
    settled_seq   bigint                   not null,
    settled_at    timestamp with time zone not null
);
