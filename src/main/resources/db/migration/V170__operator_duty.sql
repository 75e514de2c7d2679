-- Who takes the phone line: whether an operator is on duty now, the languages he speaks with callers, and where a
-- call reaches him (his phone number in E.164 or a SIP address), encrypted under a data key of his own.
create table operator_duty (
    operator_id      uuid         primary key references operator_account (id) on delete cascade,
    on_duty          boolean      not null default false,
    -- comma-separated language codes: ru,ko,uk,en
    languages        varchar(32)  not null default '',
    data_key_id      uuid         references data_key (id),
    reach_at_enc     bytea,
    changed_at       timestamp with time zone not null
);
create index operator_duty_on on operator_duty (on_duty);
