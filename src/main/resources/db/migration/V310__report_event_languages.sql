-- A request's language was recorded as its phone's own, so one Chechen phone among Russian ones stood out in the
-- figures for ever. It is now one of the languages the service is held in, or 'other', and the rows recorded before
-- are put the same way, by the languages shipped when this was written (languages/*.properties): a deployment
-- that had added one of its own finds its earlier rows in it under 'other'.
update report_event set language = 'other' where language is not null and language not in ('en', 'ko', 'ru', 'uk');
