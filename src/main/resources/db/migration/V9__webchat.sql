-- Web chat sessions: the browser holds a random token in its one cookie; only a keyed hash of it is stored, with
-- the keyed hash of the codename it belongs to. No address, no device data. Rows idle past the timeout are deleted.
create table webchat_session (
    token_ref        bytea        primary key,
    identity_ref     bytea        not null,
    auto_refresh     boolean      not null default false,
    created_at       timestamp with time zone not null,
    last_seen_at     timestamp with time zone not null
);
create index webchat_session_idle on webchat_session (last_seen_at);

-- What a page needs beside a message's text (in the transcript): its kind and the choices to press, under the
-- day's transit key. The id is the message's channel message id.
create table webchat_delivery (
    id               uuid         primary key,
    data_key_id      uuid         not null references data_key (id),
    content_enc      bytea        not null,
    created_at       timestamp with time zone not null
);
