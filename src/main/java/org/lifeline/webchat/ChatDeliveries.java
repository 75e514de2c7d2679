package org.lifeline.webchat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.channels.TransitKeys;
import org.lifeline.privacy.DataKeyDestroyed;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Rendered outbound messages kept for the page ({@code webchat_delivery}), encrypted under the day's transit key. */
@Repository
class ChatDeliveries {

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransitKeys transitKeys;
    private final Clock clock;
    private final TransactionTemplate separately;

    ChatDeliveries(JdbcClient jdbc, DataProtection protection, TransitKeys transitKeys, Clock clock,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.transitKeys = transitKeys;
        this.clock = clock;
        // committed before the dispatcher records the message as sent, whatever becomes of its batch
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    void add(UUID id, String rendered) {
        var key = transitKeys.today();
        separately.executeWithoutResult(status -> jdbc.sql("""
                insert into webchat_delivery (id, data_key_id, content_enc, created_at) values (?, ?, ?, ?)""")
                .params(id, key.value(), protection.encrypt(key, rendered, context(id)),
                        clock.instant().atOffset(ZoneOffset.UTC))
                .update());
    }

    /** The rendered message, or nothing when there is none or its day's key was destroyed. */
    Optional<String> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        return jdbc.sql("select data_key_id, content_enc from webchat_delivery where id = ?").param(uuid)
                .query((rs, n) -> readable(new DataKeyId(rs.getObject("data_key_id", UUID.class)),
                        rs.getBytes("content_enc"), uuid))
                .optional().flatMap(found -> found);
    }

    private Optional<String> readable(DataKeyId key, byte[] content, UUID id) {
        try {
            return Optional.of(protection.decrypt(key, content, context(id)));
        } catch (DataKeyDestroyed e) {
            return Optional.empty();
        }
    }

    private static String context(UUID id) {
        return "webchat_delivery.content:" + id;
    }
}
