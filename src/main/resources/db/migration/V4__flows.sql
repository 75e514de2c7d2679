-- Where each conversation stands in its flow. The session (answers included) is encrypted under its own data key,
-- destroyed with the requester's data.
create table flow_session (
    conversation_id  uuid         primary key references conversation (id),
    data_key_id      uuid         not null references data_key (id),
    state_enc        bytea        not null,
    status           varchar(16)  not null,
    case_id          uuid         references support_case (id),
    updated_at       timestamp with time zone not null
);
create index flow_session_waiting on flow_session (status, updated_at);

-- Every flow version a session was started on, so that it can finish on that version after an upgrade.
create table flow_snapshot (
    flow             varchar(64)  not null,
    version          integer      not null,
    hash             varchar(128) not null,
    sources          text         not null,
    primary key (flow, version)
);
