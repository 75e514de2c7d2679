-- A surrender request or a family inquiry ("case" is an SQL keyword). Details and transition notes are encrypted
-- under the case's own data key.
create table support_case (
    id              uuid primary key,
    -- what the requester quotes, such as K7M-4QX
    reference       varchar(7) not null,
    kind            varchar(24) not null check (kind in ('SURRENDER_REQUEST', 'FAMILY_INQUIRY')),
    status          varchar(24) not null check (status in ('NEW', 'IN_CONTACT', 'VERIFIED', 'HANDOVER_PLANNED',
                                                           'SURRENDERED', 'SEARCHING', 'ANSWERED', 'CLOSED')),
    close_reason    varchar(24),
    outcome         varchar(24),
    contact_id      uuid references contact (id),
    conversation_id uuid references conversation (id),
    data_key_id     uuid not null references data_key (id),
    details_enc     bytea not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    -- optimistic locking: every change names the version it was based on
    version         bigint not null,
    constraint support_case_reference unique (reference),
    constraint support_case_closed_with_reason check ((status = 'CLOSED') = (close_reason is not null))
);
create index support_case_contact on support_case (contact_id);

-- The history: who moved the case, when and why. Version 0 is the opening.
create table case_transition (
    case_id      uuid not null references support_case (id),
    version      bigint not null,
    from_status  varchar(24),
    to_status    varchar(24) not null,
    close_reason varchar(24),
    outcome      varchar(24),
    note_enc     bytea,
    actor        varchar(64) not null,
    changed_at   timestamp with time zone not null,
    primary key (case_id, version)
);
