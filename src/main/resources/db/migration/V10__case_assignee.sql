-- Who works a case now: an operator's user name, or nobody yet. Claimed and handed on from the console queue.
alter table support_case add column assignee varchar(64);
create index support_case_status on support_case (status);
