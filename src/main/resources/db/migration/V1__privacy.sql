-- One row per data key (a contact's, a case's). The key is stored only wrapped by the master key, which lives
-- outside the database; erasing wrapped_key crypto-shreds everything encrypted under it.
create table data_key (
    id            uuid primary key,
    wrapped_key   bytea,
    -- the master key that wrapped it, so that rotation finds the keys still wrapped by older ones
    master_key_id integer,
    created_at    timestamp with time zone not null,
    destroyed_at  timestamp with time zone,
    constraint data_key_live_or_destroyed check (
        (wrapped_key is not null and master_key_id is not null and destroyed_at is null)
        or (wrapped_key is null and master_key_id is null and destroyed_at is not null))
);
