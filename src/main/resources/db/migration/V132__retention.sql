-- Anonymous counts of what retention removed, kept for reporting once the rows are gone: per kind of data, a
-- subject without personal data (a case's kind and outcome, a channel) and the month the rows were last active.
create table retention_tally (
    kind        varchar(32)  not null,
    subject     varchar(96)  not null,
    active_month date        not null,
    removed     bigint       not null,
    primary key (kind, subject, active_month)
);

-- Jobs that run once a day across all nodes: the node that moves last_run_on to today runs it.
create table daily_job (
    name        varchar(32)  primary key,
    last_run_on date
);
insert into daily_job (name, last_run_on) values ('retention', null);
