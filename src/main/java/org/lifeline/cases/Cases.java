package org.lifeline.cases;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseLifecycle;
import org.lifeline.cases.lifecycle.CaseState;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.InquiryOutcome;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataKeyId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code support_case} and {@code case_transition} tables. */
@Repository
class Cases {

    private final JdbcClient jdbc;

    Cases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(CaseId id, String reference, CaseKind kind, ContactId contact, ConversationId conversation,
            DataKeyId key, byte[] detailsEnc, Instant now) {
        jdbc.sql("""
                        insert into support_case (id, reference, kind, status, contact_id, conversation_id, data_key_id,
                                                  details_enc, created_at, updated_at, version)
                        values (?, ?, ?, 'NEW', ?, ?, ?, ?, ?, ?, 0)""")
                .params(id.value(), reference, kind.name(), contact == null ? null : contact.value(),
                        conversation == null ? null : conversation.value(), key.value(), detailsEnc,
                        SqlTimestamps.of(now), SqlTimestamps.of(now))
                .update();
    }

    Optional<Row> find(CaseId id) {
        return jdbc.sql("select * from support_case where id = ?").param(id.value()).query(Cases::row).optional();
    }

    Optional<Row> findByReference(String reference) {
        return jdbc.sql("select * from support_case where reference = ?").param(reference).query(Cases::row)
                .optional();
    }

    /** Every case not closed, the most recently changed first. */
    List<Row> active() {
        return jdbc.sql("select * from support_case where status <> 'CLOSED' order by updated_at desc").query(Cases::row)
                .list();
    }

    List<Row> ofContact(ContactId contact) {
        return jdbc.sql("select * from support_case where contact_id = ? order by created_at").param(contact.value())
                .query(Cases::row).list();
    }

    /** Removes the encrypted details and notes: their key is destroyed, and a row without them tells nothing. */
    void erase(CaseId id, Instant now) {
        jdbc.sql("update support_case set details_enc = null, erased_at = ?, updated_at = ?, version = version + 1 "
                        + "where id = ?")
                .params(SqlTimestamps.of(now), SqlTimestamps.of(now), id.value()).update();
        jdbc.sql("update case_transition set note_enc = null where case_id = ?").param(id.value()).update();
    }

    /** The conversation's latest case. */
    Optional<Row> findByConversation(ConversationId conversation) {
        return jdbc.sql("select * from support_case where conversation_id = ? order by created_at desc "
                        + "fetch first 1 rows only")
                .param(conversation.value()).query(Cases::row).optional();
    }

    /** @return false if the case is no longer at {@code expectedVersion} */
    boolean assign(CaseId id, String assignee, Instant now, long expectedVersion) {
        return jdbc.sql("""
                        update support_case set assignee = ?, updated_at = ?, version = version + 1
                        where id = ? and version = ?""")
                .params(assignee, SqlTimestamps.of(now), id.value(), expectedVersion)
                .update() > 0;
    }

    /**
     * Also sets {@code closed_at}, what {@code closed-cases} retention counts from: the time the case became finished,
     * or none while it is not.
     *
     * @return false if the case is no longer at {@code expectedVersion}
     */
    boolean updateState(CaseId id, CaseState state, Instant now, long expectedVersion) {
        return jdbc.sql("""
                        update support_case set status = ?, close_reason = ?, outcome = ?, updated_at = ?,
                                                closed_at = ?, version = version + 1
                        where id = ? and version = ?""")
                .params(state.status().name(), name(state.closeReason()), name(state.outcome()), SqlTimestamps.of(now),
                        CaseLifecycle.finished(state) ? SqlTimestamps.of(now) : null, id.value(), expectedVersion)
                .update() > 0;
    }

    /** @return false if the case is no longer at {@code expectedVersion} */
    boolean updateDetails(CaseId id, byte[] detailsEnc, Instant now, long expectedVersion) {
        return jdbc.sql("""
                        update support_case set details_enc = ?, updated_at = ?, version = version + 1
                        where id = ? and version = ?""")
                .params(detailsEnc, SqlTimestamps.of(now), id.value(), expectedVersion)
                .update() > 0;
    }

    void insertTransition(CaseId id, long version, CaseStatus from, CaseState to, byte[] noteEnc, String actor,
            Instant at) {
        jdbc.sql("""
                        insert into case_transition (case_id, version, from_status, to_status, close_reason, outcome,
                                                     note_enc, actor, changed_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id.value(), version, name(from), to.status().name(), name(to.closeReason()),
                        name(to.outcome()), noteEnc, actor, SqlTimestamps.of(at))
                .update();
    }

    List<TransitionRow> transitions(CaseId id) {
        return jdbc.sql("select * from case_transition where case_id = ? order by version")
                .param(id.value())
                .query((rs, rowNum) -> new TransitionRow(rs.getLong("version"),
                        value(CaseStatus.class, rs.getString("from_status")),
                        CaseStatus.valueOf(rs.getString("to_status")),
                        value(CloseReason.class, rs.getString("close_reason")),
                        value(InquiryOutcome.class, rs.getString("outcome")), rs.getBytes("note_enc"),
                        rs.getString("actor"), SqlTimestamps.read(rs, "changed_at")))
                .list();
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        var contact = rs.getObject("contact_id", UUID.class);
        var conversation = rs.getObject("conversation_id", UUID.class);
        return new Row(new CaseId(rs.getObject("id", UUID.class)), rs.getString("reference"),
                new CaseState(CaseKind.valueOf(rs.getString("kind")), CaseStatus.valueOf(rs.getString("status")),
                        value(CloseReason.class, rs.getString("close_reason")),
                        value(InquiryOutcome.class, rs.getString("outcome"))),
                contact == null ? null : new ContactId(contact),
                conversation == null ? null : new ConversationId(conversation),
                new DataKeyId(rs.getObject("data_key_id", UUID.class)), rs.getBytes("details_enc"),
                SqlTimestamps.read(rs, "created_at"), SqlTimestamps.read(rs, "updated_at"), rs.getLong("version"),
                rs.getString("assignee"), SqlTimestamps.read(rs, "erased_at"));
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static <E extends Enum<E>> E value(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    record Row(CaseId id, String reference, CaseState state, ContactId contact, ConversationId conversation,
            DataKeyId key, byte[] detailsEnc, Instant createdAt, Instant updatedAt, long version, String assignee,
            Instant erasedAt) {
    }

    record TransitionRow(long version, CaseStatus from, CaseStatus to, CloseReason reason, InquiryOutcome outcome,
            byte[] noteEnc, String actor, Instant at) {
    }
}
