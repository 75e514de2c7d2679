package org.lifeline.conversations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataKeyId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code conversation} table, read together with what its contact's data key needs. */
@Repository
class Conversations {

    private static final String SELECT = """
            select c.*, k.data_key_id, k.forgotten_at
            from conversation c join contact k on k.id = c.contact_id
            """;

    private final JdbcClient jdbc;
    private final TransactionRows read;

    Conversations(JdbcClient jdbc, TransactionRows read) {
        this.jdbc = jdbc;
        this.read = read;
    }

    void insert(ConversationId id, ContactId contact, String channel, String language, byte[] entryCodeEnc,
            UUID campaign, Instant now) {
        read.forget();
        jdbc.sql("""
                        insert into conversation (id, contact_id, channel, status, language, entry_code_enc, campaign_id,
                                                  opened_at, last_activity_at)
                        values (?, ?, ?, 'OPEN', ?, ?, ?, ?, ?)""")
                .params(id.value(), contact.value(), channel, language, entryCodeEnc, campaign, SqlTimestamps.of(now),
                        SqlTimestamps.of(now))
                .update();
    }

    /** Read once a transaction: see {@link TransactionRows}. */
    Optional<Row> find(ConversationId id) {
        return read.get(id, key -> jdbc.sql(SELECT + "where c.id = ?").param(key.value()).query(Conversations::row)
                .optional());
    }

    /** The contact's latest conversation that is not closed. */
    Optional<Row> findActive(ContactId contact) {
        return jdbc.sql(SELECT + "where c.contact_id = ? and c.status <> 'CLOSED' order by c.opened_at desc "
                        + "fetch first 1 rows only")
                .param(contact.value())
                .query(Conversations::row)
                .optional();
    }

    Optional<Row> findLatest(ContactId contact) {
        return jdbc.sql(SELECT + "where c.contact_id = ? order by c.opened_at desc fetch first 1 rows only")
                .param(contact.value())
                .query(Conversations::row)
                .optional();
    }

    List<ConversationId> ofContact(ContactId contact) {
        return jdbc.sql("select id from conversation where contact_id = ? order by opened_at")
                .param(contact.value())
                .query((rs, n) -> new ConversationId(rs.getObject(1, UUID.class)))
                .list();
    }

    /** Conversations not closed whose contact is not forgotten, the most recently active first. */
    List<Row> active() {
        return jdbc.sql(SELECT + "where c.status <> 'CLOSED' and k.forgotten_at is null "
                        + "order by c.last_activity_at desc")
                .query(Conversations::row)
                .list();
    }

    void touch(ConversationId id, Instant now) {
        read.forget();
        jdbc.sql("update conversation set last_activity_at = ? where id = ?")
                .params(SqlTimestamps.of(now), id.value())
                .update();
    }

    /** Marks the conversation active now and gives it this language if it has none yet (null: keeps it), at once. */
    void resume(ConversationId id, Instant now, String language) {
        read.forget();
        jdbc.sql("update conversation set last_activity_at = ?, language = coalesce(language, ?) where id = ?")
                .params(SqlTimestamps.of(now), language, id.value())
                .update();
    }

    void setStatus(ConversationId id, ConversationStatus status) {
        read.forget();
        jdbc.sql("update conversation set status = ? where id = ?").params(status.name(), id.value()).update();
    }

    /** Closes them and drops their entry codes (shredded already, but a row without them tells nothing). */
    void closeAllOf(ContactId contact) {
        read.forget();
        jdbc.sql("update conversation set status = 'CLOSED', entry_code_enc = null where contact_id = ?")
                .param(contact.value()).update();
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        return new Row(new ConversationId(rs.getObject("id", UUID.class)),
                new ContactId(rs.getObject("contact_id", UUID.class)), rs.getString("channel"),
                ConversationStatus.valueOf(rs.getString("status")), rs.getString("language"),
                rs.getBytes("entry_code_enc"), rs.getObject("campaign_id", UUID.class), SqlTimestamps.read(rs, "opened_at"),
                SqlTimestamps.read(rs, "last_activity_at"),
                new DataKeyId(rs.getObject("data_key_id", UUID.class)), SqlTimestamps.read(rs, "forgotten_at") != null);
    }

    /** @param key the contact's data key; {@code forgotten} when it was destroyed */
    record Row(ConversationId id, ContactId contact, String channel, ConversationStatus status, String language,
            byte[] entryCodeEnc, UUID campaign, Instant openedAt, Instant lastActivityAt, DataKeyId key, boolean forgotten) {
    }
}
