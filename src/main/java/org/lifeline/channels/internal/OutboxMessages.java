package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import javax.sql.DataSource;

import org.lifeline.channels.TransitKeys;
import org.lifeline.platform.SqlTimestamps;
import org.lifeline.platform.InsertsAtCommit;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Outbound messages waiting to be sent, encrypted under the day's transit key until they are gone. */
@Repository
class OutboxMessages {

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransitKeys transitKeys;
    private final Clock clock;
    /** The rows this transaction queued, to be written before it commits. */
    private final InsertsAtCommit queued;

    OutboxMessages(JdbcClient jdbc, JdbcTemplate batches, DataSource dataSource, DataProtection protection,
            TransitKeys transitKeys, Clock clock) {
        this.jdbc = jdbc;
        this.queued = new InsertsAtCommit(dataSource, batches, INSERT);
        this.protection = protection;
        this.transitKeys = transitKeys;
        this.clock = clock;
    }

    /** Replies in a conversation: someone is waiting for them. */
    static final int CONVERSATION = 0;
    /** Reminders and notices: nobody is waiting for them this minute. */
    static final int NOTICE = 1;

    static final String INSERT = """
            insert into outbox_message (channel, endpoint, recipient_ref, reference, data_key_id, recipient_enc,
              content_enc, message_id, state, not_before, created_at, priority)
            values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)""";

    /**
     * Queues a message. In a transaction the row is written just before it commits, with every other this
     * transaction queued, in one JDBC batch in the order queued (a batch of updates queued 22 answers on average,
     * one insert each); no dispatcher can see it before the commit anyway. Every other statement of this class
     * writes what waits first, so that it finds it.
     */
    void add(String channel, String endpoint, byte[] recipientRef, String recipient, String rendered, UUID messageId,
            int priority) {
        var key = transitKeys.today();
        var reference = UUID.randomUUID();
        var now = now();
        Object[] row = {channel, endpoint, recipientRef, reference, key.value(),
                protection.encrypt(key, recipient, "outbox.recipient:" + reference),
                protection.encrypt(key, rendered, "outbox.content:" + reference), messageId, now, now, priority};
        queued.insert(row);
    }

    /** Removes what was sent to this recipient or failed (their keyed hash of his id with them). */
    int removeSettled(byte[] recipientRef) {
        return jdbc.sql("delete from outbox_message where recipient_ref = ? and state in ('SENT', 'FAILED')")
                .param(recipientRef).update();
    }

    /**
     * Due messages of one endpoint that are first in line for their recipient, replies in a conversation before
     * notices: a later message never overtakes an earlier one to the same recipient still pending or in flight,
     * whatever their priorities. Reads the endpoint's {@code window} oldest pending messages of each priority in
     * {@code (channel, endpoint, state, priority, id)} order and the few in flight, then, in one statement of index
     * probes on {@code (recipient_ref, state, id)}, the oldest pending message of each recipient among them: only
     * that one may go. Every plan is a bounded index read, whatever the statistics say. Nothing is due while the
     * endpoint is paused in the database, checked in the statement that reads the messages: a statement that sees a
     * message queued after a pause sees the pause too (the dispatcher's own check comes before, and a pause set by
     * hand or by another node between the two let it send what was queued meanwhile).
     */
    List<Pending> due(String channel, String endpoint, int window) {
        queued.writeQueued();
        var blocked = new HashSet<String>();
        jdbc.sql("select recipient_ref from outbox_message where channel = ? and endpoint = ? and state = 'SENDING'")
                .params(channel, endpoint)
                .query((rs, n) -> HexFormat.of().formatHex(rs.getBytes("recipient_ref")))
                .list().forEach(blocked::add);
        var candidates = new ArrayList<Pending>();
        for (var priority : List.of(CONVERSATION, NOTICE)) {
            candidates.addAll(jdbc.sql("""
                    select id, recipient_ref, reference, data_key_id, recipient_enc, content_enc, message_id, attempts, not_before
                    from outbox_message
                    where channel = :channel and endpoint = :endpoint and state = 'PENDING' and priority = :priority
                      and not exists (select 1 from channel_endpoint e
                        where e.channel = :channel and e.endpoint = :endpoint and e.paused_until > :now)
                    order by channel, endpoint, state, priority, id
                    limit :limit""")
                    .param("channel", channel).param("endpoint", endpoint).param("priority", priority)
                    .param("now", SqlTimestamps.of(clock.instant())).param("limit", window)
                    .query((rs, n) -> new Pending(rs.getLong("id"), rs.getBytes("recipient_ref"),
                            rs.getObject("reference", UUID.class), new DataKeyId(rs.getObject("data_key_id", UUID.class)),
                            rs.getBytes("recipient_enc"), rs.getBytes("content_enc"), rs.getObject("message_id", UUID.class),
                            rs.getInt("attempts"), SqlTimestamps.read(rs, "not_before")))
                    .list());
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        var refs = new java.util.LinkedHashMap<String, byte[]>();
        candidates.forEach(c -> refs.putIfAbsent(HexFormat.of().formatHex(c.recipientRef()), c.recipientRef()));
        var heads = new java.util.HashMap<String, Long>();
        jdbc.sql("""
                select recipient_ref, min(id) as head from outbox_message
                where recipient_ref in (:refs) and state = 'PENDING'
                group by recipient_ref""")
                .param("refs", List.copyOf(refs.values()))
                .query((rs, n) -> Map.entry(HexFormat.of().formatHex(rs.getBytes("recipient_ref")), rs.getLong("head")))
                .list().forEach(head -> heads.put(head.getKey(), head.getValue()));
        var now = clock.instant();
        var due = new ArrayList<Pending>();
        for (var pending : candidates) {
            var ref = HexFormat.of().formatHex(pending.recipientRef());
            // the first pending message of its recipient, none of his in flight, and its time has come
            if (Objects.equals(heads.get(ref), pending.id()) && blocked.add(ref) && !pending.notBefore().isAfter(now)) {
                due.add(pending);
            }
        }
        return due;
    }

    String recipient(Pending pending) {
        return protection.decrypt(pending.dataKey(), pending.recipientEnc(), "outbox.recipient:" + pending.reference());
    }

    String content(Pending pending) {
        return protection.decrypt(pending.dataKey(), pending.contentEnc(), "outbox.content:" + pending.reference());
    }

    /** Claims a message for sending; false if another node got there first. */
    boolean markSending(long id) {
        queued.writeQueued();
        return jdbc.sql("""
                update outbox_message set state = 'SENDING', attempts = attempts + 1, claimed_at = ?
                where id = ? and state = 'PENDING'""")
                .params(now(), id).update() == 1;
    }

    /** The whole endpoint waits (a 429's retry_after applies to the bot, not one chat). */
    void pause(String channel, String endpoint, Instant until) {
        jdbc.sql("update channel_endpoint set paused_until = ? where channel = ? and endpoint = ?")
                .params(SqlTimestamps.of(until), channel, endpoint).update();
    }

    /** Sent: recipient and content are erased, only the fact and the time remain. */
    void markSent(long id) {
        queued.writeQueued();
        jdbc.sql("update outbox_message set state = 'SENT', content_enc = null, recipient_enc = null, sent_at = ? where id = ?")
                .params(now(), id).update();
    }

    void retryAt(long id, Instant when, String code) {
        queued.writeQueued();
        jdbc.sql("update outbox_message set state = 'PENDING', not_before = ?, last_error = ? where id = ?")
                .params(when.atOffset(ZoneOffset.UTC), code, id).update();
    }

    void markFailed(long id, String code) {
        queued.writeQueued();
        jdbc.sql("update outbox_message set state = 'FAILED', content_enc = null, recipient_enc = null, last_error = ? where id = ?")
                .params(code, id).update();
    }

    /**
     * Messages left in flight by a node that stopped mid-send may or may not have arrived. Sending them again
     * could repeat a message to the requester, so they are failed as uncertain for an operator to look at.
     * Returns the conversation message ids concerned.
     */
    List<UUID> failAbandoned(Instant claimedBefore) {
        queued.writeQueued();
        var cutoff = claimedBefore.atOffset(ZoneOffset.UTC);
        var ids = jdbc.sql("select message_id from outbox_message where state = 'SENDING' and claimed_at < ?")
                .param(cutoff).query(UUID.class).list();
        jdbc.sql("""
                update outbox_message set state = 'FAILED', content_enc = null, recipient_enc = null, last_error = 'uncertain'
                where state = 'SENDING' and claimed_at < ?""")
                .param(cutoff).update();
        return ids;
    }

    /**
     * Fails the recipient's messages still waiting to be sent (locked first, so that a dispatcher cannot claim one
     * meanwhile); returns their conversation message ids. One already on its way is left to its outcome.
     */
    List<UUID> failWaiting(byte[] recipientRef, String code) {
        queued.writeQueued();
        var waiting = jdbc.sql("select id, message_id from outbox_message where recipient_ref = ? and state = 'PENDING' for update")
                .param(recipientRef).query((rs, n) -> Map.entry(rs.getLong("id"), rs.getObject("message_id", UUID.class)))
                .list();
        waiting.forEach(message -> markFailed(message.getKey(), code));
        return waiting.stream().map(Map.Entry::getValue).filter(Objects::nonNull).toList();
    }

    /** Whether a message to this recipient waits to be sent or is on its way. */
    boolean pendingFor(byte[] recipientRef) {
        queued.writeQueued();
        return jdbc.sql("select count(*) from outbox_message where recipient_ref = ? and state in ('PENDING', 'SENDING')")
                .param(recipientRef).query(Long.class).single() > 0;
    }


    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    record Pending(long id, byte[] recipientRef, UUID reference, DataKeyId dataKey, byte[] recipientEnc,
            byte[] contentEnc, UUID messageId, int attempts, Instant notBefore) {
    }
}
