package org.lifeline.conversations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataKeyId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code contact} table. */
@Repository
class Contacts {

    private final JdbcClient jdbc;

    Contacts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ContactId id, String channel, byte[] externalRef, byte[] externalIdEnc, DataKeyId key,
            String language, Instant now) {
        jdbc.sql("""
                        insert into contact (id, channel, external_ref, external_id_enc, data_key_id,
                                             preferred_language, reachability, created_at)
                        values (?, ?, ?, ?, ?, ?, 'REACHABLE', ?)""")
                .params(id.value(), channel, externalRef, externalIdEnc, key.value(), language, SqlTimestamps.of(now))
                .update();
    }

    /** By any of the indexes (one per index key, the current first): found whether re-indexed yet or not. */
    Optional<ContactId> findByRefs(String channel, List<byte[]> externalRefs) {
        return jdbc.sql("select id from contact where channel = :channel and external_ref in (:refs) "
                        + "order by created_at fetch first 1 rows only")
                .param("channel", channel)
                .param("refs", externalRefs)
                .query((rs, row) -> new ContactId(rs.getObject(1, UUID.class)))
                .optional();
    }

    Optional<Row> find(ContactId id) {
        return jdbc.sql("select * from contact where id = ?").param(id.value()).query(Contacts::row).optional();
    }

    /** Locks the contact's row for this transaction, so that concurrent messages open one conversation, not two. */
    Optional<Row> lock(ContactId id) {
        return jdbc.sql("select * from contact where id = ? for update").param(id.value()).query(Contacts::row)
                .optional();
    }

    void setLanguage(ContactId id, String language) {
        jdbc.sql("update contact set preferred_language = ? where id = ?").params(language, id.value()).update();
    }

    /** @return whether it changed: only from one of {@code from} */
    boolean changeReachability(ContactId id, Set<Reachability> from, Reachability to) {
        return jdbc.sql("update contact set reachability = :to where id = :id and reachability in (:from)")
                .param("to", to.name())
                .param("id", id.value())
                .param("from", from.stream().map(Enum::name).toList())
                .update() > 0;
    }

    /** Unlinks the contact from his channel id: the blind index would otherwise still tell that he wrote to us. */
    void markForgotten(ContactId id, Instant now) {
        jdbc.sql("""
                        update contact set external_ref = null, reachability = 'UNREACHABLE', forgotten_at = ?
                        where id = ?""")
                .params(SqlTimestamps.of(now), id.value())
                .update();
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        return new Row(new ContactId(rs.getObject("id", UUID.class)), rs.getString("channel"),
                rs.getBytes("external_id_enc"), new DataKeyId(rs.getObject("data_key_id", UUID.class)),
                rs.getString("preferred_language"), Reachability.valueOf(rs.getString("reachability")),
                SqlTimestamps.read(rs, "created_at"), SqlTimestamps.read(rs, "forgotten_at") != null);
    }

    record Row(ContactId id, String channel, byte[] externalIdEnc, DataKeyId key, String preferredLanguage,
            Reachability reachability, Instant createdAt, boolean forgotten) {
    }
}
