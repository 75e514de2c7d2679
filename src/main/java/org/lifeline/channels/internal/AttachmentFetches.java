package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.conversations.MessageId;
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

    /** The oldest due fetch, locked for the caller's transaction; other nodes skip it. */
    Optional<Due> claimNext() {
        return jdbc.sql("""
                select id, message_id, channel, endpoint, data_key_id, reference_enc, attempts from attachment_fetch
                where state = 'PENDING' and not_before <= ? order by id limit 1 for update skip locked""")
                .param(clock.instant().atOffset(ZoneOffset.UTC))
                .query((rs, n) -> {
                    var message = new MessageId(rs.getObject("message_id", UUID.class));
                    var key = new DataKeyId(rs.getObject("data_key_id", UUID.class));
                    return new Due(rs.getLong("id"), message, rs.getString("channel"), rs.getString("endpoint"),
                            protection.decrypt(key, rs.getBytes("reference_enc"), context(message)), rs.getInt("attempts"));
                })
                .optional();
    }

    void done(long id) {
        jdbc.sql("update attachment_fetch set state = 'DONE', reference_enc = null where id = ?").param(id).update();
    }

    void retry(long id, Instant when, String code) {
        jdbc.sql("update attachment_fetch set attempts = attempts + 1, not_before = ?, last_error = ? where id = ?")
                .params(when.atOffset(ZoneOffset.UTC), code, id).update();
    }

    void fail(long id, String code) {
        jdbc.sql("update attachment_fetch set state = 'FAILED', reference_enc = null, last_error = ? where id = ?")
                .params(code, id).update();
    }

    private static String context(MessageId message) {
        return "attachment_fetch.reference:" + message.value();
    }

    record Due(long id, MessageId message, String channel, String endpoint, String reference, int attempts) {
    }
}
