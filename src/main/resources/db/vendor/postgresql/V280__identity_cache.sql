-- H2's V280 reserves identity values 4,096 at a time. PostgreSQL keeps its sequences' default cache of 1: a larger
-- one is reserved per session, so values would no longer follow the order of allocation across connections, and
-- message.seq orders transcripts. Nextval there writes no commit of its own.
select 1;
