-- H2's V327 drops three indexes that begin with the columns of the indexes H2 makes for foreign keys. PostgreSQL makes
-- no index for a foreign key: message_conversation, conversation_contact and conversation_campaign are its only
-- indexes for those reads, and stay.
select 1;
