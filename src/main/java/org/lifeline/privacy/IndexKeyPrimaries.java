package org.lifeline.privacy;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code index_key_primary} table: since when each blind-index key has been the primary, in the database so that
 * every node agrees on the moment of a rotation however it learnt of the new key (the keyset file re-read, or a
 * restart with the keyset from the secret store). The first node to use a primary records it; the moment never
 * changes after, so each node keeps what it read.
 */
@Repository
class IndexKeyPrimaries {

    private final JdbcClient jdbc;
    private final Clock clock;
    /** Its own transaction: the first use may come within a read-only one, or one that is rolled back. */
    private final TransactionTemplate recording;
    private final Map<Integer, Instant> known = new ConcurrentHashMap<>();

    IndexKeyPrimaries(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.recording = new TransactionTemplate(transactions);
        recording.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Since when this key has been the primary: now, if no node has recorded it before. */
    Instant since(int keyId) {
        return known.computeIfAbsent(keyId, id -> recording.execute(status -> {
            var stored = Integer.toUnsignedLong(id);
            jdbc.sql("insert into index_key_primary (key_id, since) values (?, ?) on conflict do nothing")
                    .params(stored, SqlTimestamps.of(clock.instant())).update();
            return jdbc.sql("select since from index_key_primary where key_id = ?").param(stored)
                    .query((rs, n) -> SqlTimestamps.read(rs, "since")).single();
        }));
    }
}
