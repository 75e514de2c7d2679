-- Closed cases were removed a period after updated_at, which every later write moved on: claiming a closed case,
-- writing a handover plan into it or erasing its requester kept it, with his details, for another period each time.
-- Retention now counts from closed_at, the time of the transition that finished the case (CLOSED or SURRENDERED),
-- set by that transition and cleared when a case closed as LOST_CONTACT is reopened. Cases finished before get the
-- time of their latest transition into the status they are in, from their history (every status change is there);
-- updated_at only for one with no such entry.
alter table support_case add column closed_at timestamp with time zone;
update support_case
set closed_at = coalesce((select max(t.changed_at) from case_transition t
                          where t.case_id = support_case.id and t.to_status = support_case.status),
                         updated_at)
where status in ('CLOSED', 'SURRENDERED');
alter table support_case add constraint support_case_closed_at
    check ((status in ('CLOSED', 'SURRENDERED')) = (closed_at is not null));
create index support_case_closed on support_case (closed_at);
