-- An erasure closes its requester's open cases as WITHDRAWN, but a family inquiry already ANSWERED could not be
-- closed so, and an erased case takes no change from an operator: it stayed ANSWERED for ever, among the active
-- cases and out of the closed cases' retention. The lifecycle now lets an answered inquiry be closed as WITHDRAWN,
-- and an erasure does it; those erased before are closed here as the erasure would have closed them, at its time,
-- by the requester, their outcome kept.
insert into case_transition (case_id, version, from_status, to_status, close_reason, outcome, actor, changed_at)
select id, version + 1, 'ANSWERED', 'CLOSED', 'WITHDRAWN', outcome, 'requester', erased_at
from support_case
where status = 'ANSWERED' and erased_at is not null;
update support_case
set status = 'CLOSED', close_reason = 'WITHDRAWN', closed_at = erased_at, version = version + 1
where status = 'ANSWERED' and erased_at is not null;
