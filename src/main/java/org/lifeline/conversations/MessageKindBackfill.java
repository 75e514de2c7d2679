package org.lifeline.conversations;

import java.time.Duration;
import java.util.UUID;

import org.lifeline.platform.PeriodicWork;
import org.lifeline.platform.PlatformSettings;
import org.lifeline.privacy.DataKeyDestroyed;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives the messages recorded before kinds (V210 left their kind null: their marks are inside encrypted text) their
 * kind and structured content, parsing each old text once, a batch at a time, soon after a node starts. Until then
 * they are parsed when read, so nothing waits for it. Nodes may run it side by side: a row changes only while its
 * kind is still null. Rows of forgotten requesters stay as they are: nobody can read them any more.
 */
@Component
class MessageKindBackfill extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(MessageKindBackfill.class);
    static final int BATCH = 200;

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransactionTemplate transaction;
    private volatile boolean done;

    MessageKindBackfill(JdbcClient jdbc, DataProtection protection, PlatformTransactionManager transactions,
            PlatformSettings platform) {
        super("message-kinds", platform);
        this.jdbc = jdbc;
        this.protection = protection;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    protected Duration every() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected void round() {
        if (done) {
            return;
        }
        int converted = 0;
        int batch;
        do {
            batch = transaction.execute(status -> convertBatch());
            converted += batch;
        } while (batch == BATCH);
        done = true;
        if (converted > 0) {
            log.info("Gave {} messages recorded before message kinds their kind", converted);
        }
    }

    /** Converts up to {@link #BATCH} rows; returns how many it converted. */
    int convertBatch() {
        var rows = jdbc.sql("""
                        select m.id, m.body_enc, c.data_key_id from message m
                        join conversation v on v.id = m.conversation_id join contact c on c.id = v.contact_id
                        where m.kind is null and c.forgotten_at is null
                        order by m.seq limit ?""")
                .param(BATCH)
                .query((rs, n) -> new Legacy(rs.getObject("id", UUID.class), rs.getBytes("body_enc"),
                        new DataKeyId(rs.getObject("data_key_id", UUID.class))))
                .list();
        var converted = 0;
        for (var row : rows) {
            var context = ConversationManagement.bodyContext(new MessageId(row.id()));
            String body;
            try {
                body = protection.decrypt(row.key(), row.bodyEnc(), context);
            } catch (DataKeyDestroyed e) {
                // forgotten a moment ago: erased, nothing to convert
                continue;
            }
            var content = MessageContents.legacy(body);
            converted += jdbc.sql("update message set kind = ?, body_enc = ? where id = ? and kind is null")
                    .params(content.kind().name(),
                            protection.encrypt(row.key(), MessageContents.write(content), context), row.id())
                    .update();
        }
        return converted;
    }

    private record Legacy(UUID id, byte[] bodyEnc, DataKeyId key) {
    }
}
