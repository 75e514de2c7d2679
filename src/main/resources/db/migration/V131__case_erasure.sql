-- A requester's deletion (or an erasure an operator records for him) leaves his cases as anonymous outcomes: the
-- case key is destroyed, the encrypted details and notes are removed, and erased_at says when.
alter table support_case alter column details_enc drop not null;
alter table support_case add column erased_at timestamp with time zone;
