-- Calls on the phone line while they last: where each stands (menu, ringing the operators, answered, voicemail,
-- ended), in which language, and which operator answered. A call SID is the provider's random id, not the caller's
-- number; the caller himself is only on his contact (number encrypted, found by blind index). Rows go a day after
-- the call began.
create table telephony_call (
    call_sid         varchar(34)  primary key,
    endpoint         varchar(64)  not null,
    language         varchar(8),
    state            varchar(16)  not null,
    answered_by      uuid,
    waiting_since    timestamp with time zone,
    started_at       timestamp with time zone not null
);
create index telephony_call_state on telephony_call (state, language);
create index telephony_call_started on telephony_call (started_at);
