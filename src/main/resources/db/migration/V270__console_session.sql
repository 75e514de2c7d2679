-- Console sessions, so that any node serves any operator's next request (no sticky sessions). The session id is
-- kept only as its SHA-256, so a copy of the database takes over no session; the attributes (who signed in, a
-- sign-in between its steps, the form token) are encrypted under the day's transit key.
create table console_session (
    id_hash          bytea        primary key,
    data_key_id      uuid         not null references data_key (id),
    attributes_enc   bytea        not null,
    created_at       timestamp with time zone not null,
    last_accessed_at timestamp with time zone not null,
    expires_at       timestamp with time zone not null
);
create index console_session_expiry on console_session (expires_at);
