-- H2 makes an index of its own for every foreign key (only an index of exactly the key's columns can serve one), so
-- three of the shared migrations' indexes were second indexes beginning with what a key's index already holds. Every
-- message recorded wrote both message_conversation (conversation_id, seq) and the key's (conversation_id), and every
-- conversation both conversation_contact (contact_id, status) and the key's (contact_id), and conversation_campaign
-- (campaign_id) and the key's (campaign_id). The keys' indexes serve the same reads: a conversation's messages (all of
-- them, then sorted by seq in memory), a contact's few conversations, a campaign's. PostgreSQL makes no index for a
-- foreign key and keeps all three (its V327 changes nothing). The message's was about one in twelve of the B-tree
-- entries an inbound update writes, each on a random page (BENCHMARKS.md). EmbeddedDatabaseSettingsTests keeps the
-- rule. H2 commits each drop by itself: "if exists", so that a process killed between two drops finishes them at its
-- next start instead of failing on the one already gone.
drop index if exists message_conversation;
drop index if exists conversation_contact;
drop index if exists conversation_campaign;
