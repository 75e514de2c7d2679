-- When each blind-index key first served as the primary, as the first node to use it saw it (keys rotate-index, or a
-- node started with a keyset whose primary is new). A web chat start, its challenge and its message forms are signed
-- or sealed under the index key and live half an hour: one made under the key before stays good for that long after a
-- rotation, and a token claiming an older key is refused from then on, on every node. A Tink key id is no secret.
create table index_key_primary (
    key_id bigint primary key,
    since  timestamp with time zone not null
);
