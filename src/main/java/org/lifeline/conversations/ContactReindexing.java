package org.lifeline.conversations;

import java.util.Arrays;
import java.util.UUID;

import org.lifeline.privacy.BlindIndexed;
import org.lifeline.privacy.DataKeyDestroyed;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Re-indexes contacts' channel ids (stored encrypted beside the index) under the current index key. */
@Component
class ContactReindexing implements BlindIndexed {

    static final int BATCH_SIZE = 500;

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransactionTemplate transactions;

    ContactReindexing(JdbcClient jdbc, DataProtection protection, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.transactions = new TransactionTemplate(transactions);
    }

    @Override
    public String what() {
        return "contacts' channel ids";
    }

    @Override
    public long reindex() {
        long changed = 0;
        // the smallest UUID in the database's (unsigned) order
        UUID after = new UUID(0, 0);
        while (true) {
            var from = after;
            var batch = transactions.execute(status -> reindexBatch(from));
            changed += batch.changed();
            if (batch.last() == null) {
                return changed;
            }
            after = batch.last();
        }
    }

    private Batch reindexBatch(UUID after) {
        var rows = jdbc.sql("""
                        select id, channel, external_ref, external_id_enc, data_key_id from contact
                        where external_ref is not null and id > ? order by id fetch first ? rows only""")
                .params(after, BATCH_SIZE)
                .query((rs, n) -> new Row(rs.getObject("id", UUID.class), rs.getString("channel"),
                        rs.getBytes("external_ref"), rs.getBytes("external_id_enc"),
                        new DataKeyId(rs.getObject("data_key_id", UUID.class))))
                .list();
        var changed = 0;
        for (var row : rows) {
            String externalId;
            try {
                externalId = protection.decrypt(row.key(), row.externalIdEnc(),
                        ConversationManagement.externalIdContext(new ContactId(row.id())));
            } catch (DataKeyDestroyed e) {
                // forgotten meanwhile: his index goes with him
                continue;
            }
            var current = protection.blindIndex(ConversationManagement.externalRefPurpose(row.channel()), externalId);
            if (!Arrays.equals(current, row.externalRef())) {
                changed += jdbc.sql("update contact set external_ref = ? where id = ? and external_ref = ?")
                        .params(current, row.id(), row.externalRef()).update();
            }
        }
        return new Batch(rows.isEmpty() ? null : rows.getLast().id(), changed);
    }

    private record Row(UUID id, String channel, byte[] externalRef, byte[] externalIdEnc, DataKeyId key) {
    }

    private record Batch(UUID last, int changed) {
    }
}
