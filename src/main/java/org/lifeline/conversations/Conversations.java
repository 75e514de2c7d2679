package org.lifeline.conversations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataKeyId;
import org.springframework.jdbc.core.JdbcTemplate;
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
    private final JdbcTemplate batches;
    private final TransactionRows read;

    Conversations(JdbcClient jdbc, JdbcTemplate batches, TransactionRows read) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.read = read;
    }

    void insert(ConversationId id, ContactId contact, String channel, String language, byte[] entryCodeEnc,
            UUID campaign, Instant now) {
        read.forget(id);
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
                .optional().map(this::asTouched));
    }

    /** The row with the activity this transaction gave it and has not written yet. */
    private Row asTouched(Row row) {
        return read.touched(row.id()).filter(at -> at.isAfter(row.lastActivityAt())).map(row::withLastActivityAt)
                .orElse(row);
    }

    /** The contact's latest conversation that is not closed, read now and kept as its latest row. */
    Optional<Row> findActive(ContactId contact) {
        var active = jdbc.sql(SELECT + "where c.contact_id = ? and c.status <> 'CLOSED' order by c.opened_at desc "
                        + "fetch first 1 rows only")
                .param(contact.value())
                .query(Conversations::row)
                .optional()
                .map(this::asTouched);
        active.ifPresent(row -> read.put(row.id(), active));
        return active;
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

    /**
     * Conversations not closed whose contact is not forgotten, the most recently active first; of those still with
     * the flow, only those where he sent something beyond the start. A start alone tells an operator nothing, and
     * anyone can send one (a script opens the web chat's for nothing): empty starts do not fill the queue.
     */
    List<Row> active() {
        return jdbc.sql(SELECT + """
                        where c.status <> 'CLOSED' and k.forgotten_at is null
                        and (c.status <> 'OPEN' or exists (select 1 from message m where m.conversation_id = c.id
                            and m.direction = 'INBOUND' and (m.kind is null or m.kind <> 'START')))
                        order by c.last_activity_at desc""")
                .query(Conversations::row)
                .list();
    }

    /**
     * Marks the conversation active at {@code now}: in a transaction, written once just before it commits, with
     * the latest time it was given (see {@link TransactionRows}); the row kept for the transaction shows it at once.
     */
    void touch(ConversationId id, Instant now) {
        read.change(id, (Row row) -> row.lastActivityAt().isAfter(now) ? row : row.withLastActivityAt(now));
        if (!read.touchLater(id, now, this::writeActivity)) {
            writeActivity(Map.of(id, now));
        }
    }

    /** The last activity of each conversation, in one batched statement. */
    private void writeActivity(Map<ConversationId, Instant> touched) {
        var rows = touched.entrySet().stream()
                .map(e -> new Object[] {SqlTimestamps.of(e.getValue()), e.getKey().value()})
                .toList();
        batches.batchUpdate("update conversation set last_activity_at = ? where id = ?", rows);
    }

    /**
     * Marks his conversation active now (see {@link #touch}) and gives it this language if it has none yet (null:
     * keeps it).
     */
    void resume(Row active, Instant now, String language) {
        if (language != null && active.language() == null) {
            read.forget(active.id());
            jdbc.sql("update conversation set language = coalesce(language, ?) where id = ?")
                    .params(language, active.id().value())
                    .update();
        }
        touch(active.id(), now);
    }

    void setStatus(ConversationId id, ConversationStatus status) {
        read.forget(id);
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

        Row withLastActivityAt(Instant at) {
            return new Row(id, contact, channel, status, language, entryCodeEnc, campaign, openedAt, at, key, forgotten);
        }
    }
}
