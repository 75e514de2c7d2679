package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.channels.TransitKeys;
import org.lifeline.conversations.MessageId;
import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Files still to be fetched from their channel, the channel's reference encrypted until it is used. */
@Repository
class AttachmentFetches {

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransitKeys transitKeys;
    private final Clock clock;

    AttachmentFetches(JdbcClient jdbc, DataProtection protection, TransitKeys transitKeys, Clock clock) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.transitKeys = transitKeys;
        this.clock = clock;
    }

    void add(String channel, String endpoint, MessageId message, String reference) {
        var key = transitKeys.today();
        jdbc.sql("""
                insert into attachment_fetch (message_id, channel, endpoint, data_key_id, reference_enc, state, not_before)
                values (?, ?, ?, ?, ?, 'PENDING', ?)""")
                .params(message.value(), channel, endpoint, key.value(),
                        protection.encrypt(key, reference, context(message)), clock.instant().atOffset(ZoneOffset.UTC))
                .update();
    }

    /**
     * Claims the oldest due fetch for {@code lease}: it is marked as being fetched and counted as an attempt, in the
     * caller's short transaction; other nodes skip it until the lease runs out (then a node that died mid-download
     * has its fetch taken over: fetching again repeats nothing the requester sees).
     */
    Optional<Due> claimNext(Duration lease) {
        var now = clock.instant();
        var due = jdbc.sql("""
                select id, message_id, channel, endpoint, data_key_id, reference_enc, attempts, state from attachment_fetch
                where state in ('PENDING', 'FETCHING', 'STORED', 'DISCARDING') and not_before <= ?
                order by id limit 1 for update skip locked""")
                .param(SqlTimestamps.of(now))
                .query((rs, n) -> {
                    var message = new MessageId(rs.getObject("message_id", UUID.class));
                    var key = new DataKeyId(rs.getObject("data_key_id", UUID.class));
                    return new Due(rs.getLong("id"), message, rs.getString("channel"), rs.getString("endpoint"),
                            protection.decrypt(key, rs.getBytes("reference_enc"), context(message)), rs.getInt("attempts"),
                            rs.getString("state").equals("STORED") || rs.getString("state").equals("DISCARDING"));
                })
                .optional();
        due.ifPresent(d -> jdbc.sql("update attachment_fetch set state = ?, attempts = attempts + 1, not_before = ? where id = ?")
                .params(d.stored() ? "DISCARDING" : "FETCHING", SqlTimestamps.of(now.plus(lease)), d.id()).update());
        return due;
    }

    void done(long id) {
        jdbc.sql("update attachment_fetch set state = 'DONE', reference_enc = null where id = ?").param(id).update();
    }

    /**
     * The file is stored on its message; the channel's own copy is still to be deleted, so the reference is kept
     * (encrypted) until it is. Attempts count afresh.
     */
    void stored(long id) {
        jdbc.sql("update attachment_fetch set state = 'STORED', attempts = 0, not_before = ? where id = ?")
                .params(SqlTimestamps.of(clock.instant()), id).update();
    }

    void retry(long id, Instant when, String code) {
        jdbc.sql("update attachment_fetch set state = case when state in ('STORED', 'DISCARDING') then 'STORED' else 'PENDING' end, "
                        + "not_before = ?, last_error = ? where id = ?")
                .params(when.atOffset(ZoneOffset.UTC), code, id).update();
    }

    void fail(long id, String code) {
        jdbc.sql("update attachment_fetch set state = 'FAILED', reference_enc = null, last_error = ? where id = ?")
                .params(code, id).update();
    }

    /**
     * The file is safe on its message, but the channel's copy could not be deleted however often it was tried: left
     * for an admin to delete at the provider ({@link UndeletedCopies}). The reference goes: its transit key does not
     * last, and the provider's console lists what it keeps.
     */
    void giveUpDeleting(long id) {
        jdbc.sql("update attachment_fetch set state = 'UNDELETED', reference_enc = null, last_error = 'gave-up' where id = ?")
                .param(id).update();
    }

    private static String context(MessageId message) {
        return "attachment_fetch.reference:" + message.value();
    }

    /** @param stored the file is already on its message: only the channel's copy is left to delete */
    record Due(long id, MessageId message, String channel, String endpoint, String reference, int attempts,
            boolean stored) {
    }
}
