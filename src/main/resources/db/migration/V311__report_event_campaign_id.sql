-- A request's campaign was kept as the campaign's name, cut to 64 characters: free text a campaign manager typed,
-- kept for ever (through retention and erasure) and exported, and two campaigns whose names differ only after the
-- 64th character were counted as one. The history now keeps the campaign's id, and reports show its name as it is
-- when they are read. Rows recorded before get the id of the one campaign whose name (cut the same way) they hold;
-- a name that matches no campaign, or two, is dropped, and its rows count as without a campaign.
alter table report_event add column campaign_id uuid;
update report_event
set campaign_id = (select c.id from campaign c where substring(c.name from 1 for 64) = report_event.campaign)
where campaign is not null
  and (select count(*) from campaign c where substring(c.name from 1 for 64) = report_event.campaign) = 1;
alter table report_event drop column campaign;
