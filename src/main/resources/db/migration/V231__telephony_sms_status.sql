-- What the provider reported about each SMS sent (its delivery status callbacks), once per message and status:
-- kept until it is applied to the message on the conversation (a report may come before the send is recorded),
-- and a day at most. A message SID is the provider's random id; no number or text is kept.
create table telephony_sms_status (
    message_sid      varchar(34)  not null,
    status           varchar(24)  not null,
    error_code       varchar(10),
    applied          boolean      not null,
    received_at      timestamp with time zone not null,
    primary key (message_sid, status)
);
create index telephony_sms_status_pending on telephony_sms_status (applied, received_at);
