-- H2 keeps an identity column's next value in memory and writes it to the file, with a commit of its own, each time
-- the values it reserved run out: 32 by default, so about every ninth processed update (3.7 identity values each:
-- the update, its messages, its outbox rows) and every 32nd stored one cost an extra commit, which with WRITE_DELAY=0
-- writes the store (9% of the inbound workers' time in a profile of ProcessingBenchmark). Reserving 4,096 at a time
-- makes that rare. The values stay in allocation order (H2's sequences are one per database, not per session); a
-- killed process leaves a gap of at most what was reserved, never a value used twice.
alter table inbound_update alter column id set cache 4096;
alter table outbox_message alter column id set cache 4096;
alter table message alter column seq set cache 4096;
alter table attachment_fetch alter column id set cache 4096;
alter table whatsapp_report alter column id set cache 4096;
alter table access_log alter column id set cache 4096;
