package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Outbound messages waiting to be sent, encrypted under the day's transit key until they are gone. */
@Repository
class OutboxMessages {

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransitKeys transitKeys;
    private final Clock clock;

    OutboxMessages(JdbcClient jdbc, DataProtection protection, TransitKeys transitKeys, Clock clock) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.transitKeys = transitKeys;
        this.clock = clock;
    }

    void add(String channel, String endpoint, byte[] recipientRef, String recipient, String rendered, UUID messageId) {
        var key = transitKeys.today();
        var reference = UUID.randomUUID();
        jdbc.sql("""
                insert into outbox_message (channel, endpoint, recipient_ref, reference, data_key_id, recipient_enc,
                  content_enc, message_id, state, not_before, created_at)
                values (:channel, :endpoint, :ref, :reference, :key, :recipient, :content, :message, 'PENDING', :now, :now)""")
                .param("channel", channel).param("endpoint", endpoint).param("ref", recipientRef)
                .param("reference", reference).param("key", key.value())
                .param("recipient", protection.encrypt(key, recipient, "outbox.recipient:" + reference))
                .param("content", protection.encrypt(key, rendered, "outbox.content:" + reference))
                .param("message", messageId)
                .param("now", now())
                .update();
    }

    /**
     * Due messages of one endpoint that are first in line for their recipient: a later message never overtakes
     * an earlier one still pending or in flight.
     */
    List<Pending> due(String channel, String endpoint, int limit) {
        return jdbc.sql("""
                select m.id, m.recipient_ref, m.reference, m.data_key_id, m.recipient_enc, m.content_enc, m.message_id, m.attempts
                from outbox_message m
                where m.channel = :channel and m.endpoint = :endpoint and m.state = 'PENDING' and m.not_before <= :now
                  and not exists (select 1 from outbox_message o where o.recipient_ref = m.recipient_ref
                                  and o.state in ('PENDING', 'SENDING') and o.id < m.id)
                order by m.id
                limit :limit""")
                .param("channel", channel).param("endpoint", endpoint).param("now", now()).param("limit", limit)
                .query((rs, n) -> new Pending(rs.getLong("id"), rs.getBytes("recipient_ref"),
                        rs.getObject("reference", UUID.class), new DataKeyId(rs.getObject("data_key_id", UUID.class)),
                        rs.getBytes("recipient_enc"), rs.getBytes("content_enc"), rs.getObject("message_id", UUID.class), rs.getInt("attempts")))
                .list();
    }

    String recipient(Pending pending) {
        return protection.decrypt(pending.dataKey(), pending.recipientEnc(), "outbox.recipient:" + pending.reference());
    }

    String content(Pending pending) {
        return protection.decrypt(pending.dataKey(), pending.contentEnc(), "outbox.content:" + pending.reference());
    }

    /** Claims a message for sending; false if another node got there first. */
    boolean markSending(long id) {
        return jdbc.sql("""
                update outbox_message set state = 'SENDING', attempts = attempts + 1, claimed_at = ?
                where id = ? and state = 'PENDING'""")
                .params(now(), id).update() == 1;
    }

    /** Sent: recipient and content are erased, only the fact and the time remain. */
    void markSent(long id) {
        jdbc.sql("update outbox_message set state = 'SENT', content_enc = null, recipient_enc = null, sent_at = ? where id = ?")
                .params(now(), id).update();
    }

    void retryAt(long id, Instant when, String code) {
        jdbc.sql("update outbox_message set state = 'PENDING', not_before = ?, last_error = ? where id = ?")
                .params(when.atOffset(ZoneOffset.UTC), code, id).update();
    }

    void markFailed(long id, String code) {
        jdbc.sql("update outbox_message set state = 'FAILED', content_enc = null, recipient_enc = null, last_error = ? where id = ?")
                .params(code, id).update();
    }

    /**
     * Messages left in flight by a node that stopped mid-send may or may not have arrived. Sending them again
     * could repeat a message to the requester, so they are failed as uncertain for an operator to look at.
     * Returns the conversation message ids concerned.
     */
    List<UUID> failAbandoned(Instant claimedBefore) {
        var cutoff = claimedBefore.atOffset(ZoneOffset.UTC);
        var ids = jdbc.sql("select message_id from outbox_message where state = 'SENDING' and claimed_at < ?")
                .param(cutoff).query(UUID.class).list();
        jdbc.sql("""
                update outbox_message set state = 'FAILED', content_enc = null, recipient_enc = null, last_error = 'uncertain'
                where state = 'SENDING' and claimed_at < ?""")
                .param(cutoff).update();
        return ids;
    }

    /** Whether a message to this recipient waits to be sent or is on its way. */
    boolean pendingFor(byte[] recipientRef) {
        return jdbc.sql("select count(*) from outbox_message where recipient_ref = ? and state in ('PENDING', 'SENDING')")
                .param(recipientRef).query(Long.class).single() > 0;
    }


    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    record Pending(long id, byte[] recipientRef, UUID reference, DataKeyId dataKey, byte[] recipientEnc,
            byte[] contentEnc, UUID messageId, int attempts) {
    }
}
