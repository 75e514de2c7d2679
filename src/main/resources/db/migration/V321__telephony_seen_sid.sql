-- Every SMS and call the provider announced, by a hash of its SID, kept after the raw update (7 days) and the call's
-- row (a day) are gone: a signed request captured and sent again later would pass the signature check (Twilio signs
-- no time) and be taken as new, bringing a forgotten requester's number back. A SID is the provider's random id;
-- only its SHA-256 is kept, with the hour it was first seen.
create table telephony_seen_sid (
    sid_hash   varchar(64) primary key,
    first_seen timestamp with time zone not null
);
