-- A console reply form sent twice (a double click, two simultaneous posts) queued the reply twice to the requester.
-- Each reply form now carries a random nonce, kept here by the transaction that queues its reply: the second post
-- of the same form finds it (waiting for the first one's commit) and queues nothing. Random bytes, nothing of the
-- requester or the operator; removed once no page showing the form can still be posted (a session's longest life).
create table console_reply_form (
    nonce   varchar(22) primary key,
    sent_at timestamp with time zone not null
);
create index console_reply_form_sent on console_reply_form (sent_at);
