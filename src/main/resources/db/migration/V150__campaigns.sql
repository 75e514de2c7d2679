-- Campaigns: a video, a leaflet run, a series of posts. Each carries one random entry code in its links and QR
-- codes; a conversation started through one belongs to it. Nothing here is personal: a campaign is published.
create table campaign (
    id           uuid primary key,
    -- what the links carry (t.me/<bot>?start=<code>, /{lang}/c/<code>); random, so that one tells nothing of another
    code         varchar(64) not null,
    name         varchar(100) not null,
    language     varchar(8) not null,
    audience     varchar(200),
    -- comma-separated channel codes whose entry points the campaign prints (telegram,whatsapp,webchat,phone)
    channels     varchar(100) not null,
    -- inclusive, UTC; null: open-ended
    active_from  date,
    active_until date,
    active       boolean not null,
    created_at   timestamp with time zone not null,
    constraint campaign_code unique (code),
    constraint campaign_name unique (name)
);

-- The campaign a conversation was started through; not personal, like its channel and language, so that funnels
-- count without decrypting anything.
alter table conversation add column campaign_id uuid references campaign (id);
create index conversation_campaign on conversation (campaign_id);
