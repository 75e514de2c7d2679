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
    private final TransactionRows read;

    Contacts(JdbcClient jdbc, TransactionRows read) {
        this.jdbc = jdbc;
        this.read = read;
    }

    void insert(ContactId id, String channel, byte[] externalRef, byte[] externalIdEnc, DataKeyId key,
            String language, Instant now) {
        read.forget(id);
        jdbc.sql("""
                        insert into contact (id, channel, external_ref, external_id_enc, data_key_id,
                                             preferred_language, reachability, created_at)
                        values (?, ?, ?, ?, ?, ?, 'REACHABLE', ?)""")
                .params(id.value(), channel, externalRef, externalIdEnc, key.value(), language, SqlTimestamps.of(now))
                .update();
    }

    /**
     * By any of the indexes (one per index key, the current first): found whether re-indexed yet or not. The row
     * is kept for the transaction (see {@link TransactionRows}): the caller reads it next.
     */
    Optional<ContactId> findByRefs(String channel, List<byte[]> externalRefs) {
        return findByRefs(channel, externalRefs, false);
    }

    /** As {@link #findByRefs(String, List)}, locking the row found for this transaction when {@code lock}. */
    Optional<ContactId> findByRefs(String channel, List<byte[]> externalRefs, boolean lock) {
        var found = jdbc.sql("select * from contact where channel = :channel and external_ref in (:refs) "
                        + "order by created_at fetch first 1 rows only" + (lock ? " for update" : ""))
                .param("channel", channel)
                .param("refs", externalRefs)
                .query(Contacts::row)
                .optional();
        if (lock) {
            found.ifPresent(row -> read.putLocked(row.id(), found));
        } else {
            found.ifPresent(row -> read.put(row.id(), found));
        }
        return found.map(Row::id);
    }

    /** Read once a transaction: see {@link TransactionRows}. */
    Optional<Row> find(ContactId id) {
        return read.get(id, key -> jdbc.sql("select * from contact where id = ?").param(key.value())
                .query(Contacts::row).optional());
    }

    /** Locks the contact's row for this transaction, so that concurrent messages open one conversation, not two. */
    Optional<Row> lock(ContactId id) {
        Optional<Row> held = read.locked(id);
        if (held != null) {
            // locked already in this transaction, and not written since
            return held;
        }
        var row = jdbc.sql("select * from contact where id = ? for update").param(id.value()).query(Contacts::row)
                .optional();
        read.putLocked(id, row);
        return row;
    }

    void setLanguage(ContactId id, String language) {
        read.forget(id);
        jdbc.sql("update contact set preferred_language = ? where id = ?").params(language, id.value()).update();
    }

    /** @return whether it changed: only from one of {@code from} */
    boolean changeReachability(ContactId id, Set<Reachability> from, Reachability to) {
        read.forget(id);
        return jdbc.sql("update contact set reachability = :to where id = :id and reachability in (:from)")
                .param("to", to.name())
                .param("id", id.value())
                .param("from", from.stream().map(Enum::name).toList())
                .update() > 0;
    }

    /** A contact not forgotten whom nothing has been heard from or sent to since a moment. */
    record Quiet(ContactId id, String channel, Instant lastActive) {
    }

    /**
     * Contacts not forgotten, made before {@code cutoff}, none of whose conversations has been active since; with
     * {@code only}, that contact alone (to check him again under his lock).
     */
    List<Quiet> quietSince(Instant cutoff, ContactId only) {
        var statement = jdbc.sql("""
                        select c.id, c.channel, coalesce(max(v.last_activity_at), c.created_at) as last_active
                        from contact c left join conversation v on v.contact_id = c.id
                        where c.forgotten_at is null and c.created_at < :cutoff %s
                        group by c.id, c.channel, c.created_at
                        having coalesce(max(v.last_activity_at), c.created_at) < :cutoff
                        order by last_active""".formatted(only == null ? "" : "and c.id = :only"))
                .param("cutoff", SqlTimestamps.of(cutoff));
        return (only == null ? statement : statement.param("only", only.value()))
                .query((rs, n) -> new Quiet(new ContactId(rs.getObject("id", UUID.class)), rs.getString("channel"),
                        SqlTimestamps.read(rs, "last_active")))
                .list();
    }

    /** Unlinks the contact from his channel id: the blind index would otherwise still tell that he wrote to us. */
    void markForgotten(ContactId id, Instant now) {
        read.forget();
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
