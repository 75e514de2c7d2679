-- The anonymous event history that reports are counted from. Retention never touches it: it holds nothing that
-- points at a person, so there is nothing in it to erase. Each column is chosen so that no row singles anyone out:
--   occurred_on  the UTC day only (no time of day): many requests share a day, and a day cannot be matched
--                against a message's exact time stamp;
--   event        what happened (request started, case opened, verified, …): a category, not a person;
--   channel      a channel code such as telegram: shared by everyone who writes on it;
--   language     a language code such as ru: shared by everyone who speaks it;
--   campaign     a campaign key (a leaflet, a video): shared by everyone who came through it;
--   case_kind    surrender request or family inquiry;
--   reason       a close reason (a category);
--   duration_seconds  how long the first operator answer took: a number with no time stamp or id beside it.
-- There is deliberately no id, no contact, conversation, case or message id, no reference, no text and no
-- operator name; rows are never updated, so nothing ties one row to another.
create table report_event (
    occurred_on      date        not null,
    event            varchar(24) not null,
    channel          varchar(16),
    language         varchar(16),
    campaign         varchar(64),
    case_kind        varchar(24),
    reason           varchar(24),
    duration_seconds bigint
);
create index report_event_day on report_event (event, occurred_on);

-- Which conversations an operator has answered already, so that only the first answer is timed. Not anonymous (it
-- names a conversation), so it is short-lived: removed when the contact is forgotten and by retention
-- (answer-marks).
create table report_answered (
    conversation_id uuid primary key,
    answered_at     timestamp with time zone not null
);
