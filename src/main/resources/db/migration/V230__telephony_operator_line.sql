-- Each on-duty operator's line while the phone line calls him to take a queued caller: ringing (the provider is
-- calling his phone or SIP address), talking (he dialled the queue), or free again. One row per operator, so that
-- claiming him is one statement and two nodes never ring the same operator at once. No phone number is kept here:
-- the operator's address stays encrypted on his duty, the caller's on his contact.
create table telephony_operator_line (
    operator_id      uuid         primary key,
    state            varchar(16)  not null,
    language         varchar(8),
    endpoint         varchar(64),
    call_sid         varchar(34),
    since            timestamp with time zone not null
);
create index telephony_operator_line_state on telephony_operator_line (state, language);
