package org.lifeline.privacy;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code erasure_journal_settled} table: how far this database has settled each erasure journal, by the
 * journal's id. In the database on purpose: a database restored from a backup brings back the record it had then.
 */
@Repository
class SettledJournals {

    private final JdbcClient jdbc;

    SettledJournals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param bytes every entry in the journal's first bytes is erased in this database
     * @param seq every key this database destroyed up to this number ({@code data_key.destroyed_seq}) is in the journal
     */
    record Settled(long bytes, long seq) {
    }

    Optional<Settled> find(UUID journal) {
        return jdbc.sql("select settled_bytes, settled_seq from erasure_journal_settled where journal_id = ?")
                .param(journal)
                .query((rs, n) -> new Settled(rs.getLong(1), rs.getLong(2)))
                .optional();
    }

    void save(UUID journal, Settled settled, Instant at) {
        jdbc.sql("""
                        insert into erasure_journal_settled (journal_id, settled_bytes, settled_seq, settled_at)
                        values (?, 0, 0, ?) on conflict do nothing""")
                .params(journal, SqlTimestamps.of(at))
                .update();
        jdbc.sql("""
                        update erasure_journal_settled set settled_bytes = ?, settled_seq = ?, settled_at = ?
                        where journal_id = ?""")
                .params(settled.bytes(), settled.seq(), SqlTimestamps.of(at), journal)
                .update();
    }
}
