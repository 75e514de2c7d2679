package org.lifeline.flows;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.cases.CaseId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.flows.engine.Session;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Flow sessions by conversation, encrypted; locked while an input is applied so inputs never interleave. */
@Repository
class FlowSessions {

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final Clock clock;

    FlowSessions(JdbcClient jdbc, DataProtection protection, Clock clock) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.clock = clock;
    }

    record Stored(ConversationId conversation, DataKeyId key, Session session, CaseId caseId) {
    }

    /** The conversation's session, locked for this transaction. */
    Optional<Stored> lock(ConversationId conversation) {
        return jdbc.sql("select data_key_id, state_enc, case_id from flow_session where conversation_id = ? for update")
                .param(conversation.value())
                .query((rs, n) -> {
                    var key = new DataKeyId(rs.getObject("data_key_id", UUID.class));
                    var session = SessionFormat.read(protection.decrypt(key, rs.getBytes("state_enc"), context(conversation)));
                    var caseId = rs.getObject("case_id", UUID.class);
                    return new Stored(conversation, key, session, caseId == null ? null : new CaseId(caseId));
                })
                .optional();
    }

    /** Stores the session with when the timers are next due for it ({@code due}, null for never). */
    Stored save(ConversationId conversation, Optional<Stored> previous, Session session, CaseId caseId, Instant due) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        var dueAt = due == null ? null : due.atOffset(ZoneOffset.UTC);
        if (previous.isPresent()) {
            var key = previous.get().key();
            jdbc.sql("update flow_session set state_enc = ?, status = ?, case_id = ?, updated_at = ?, due_at = ? where conversation_id = ?")
                    .params(protection.encrypt(key, SessionFormat.write(session), context(conversation)), session.status().name(),
                            caseId == null ? null : caseId.value(), now, dueAt, conversation.value())
                    .update();
            return new Stored(conversation, key, session, caseId);
        }
        var key = protection.newDataKey();
        jdbc.sql("""
                insert into flow_session (conversation_id, data_key_id, state_enc, status, case_id, updated_at, due_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(conversation.value(), key.value(), protection.encrypt(key, SessionFormat.write(session), context(conversation)),
                        session.status().name(), caseId == null ? null : caseId.value(), now, dueAt)
                .update();
        return new Stored(conversation, key, session, caseId);
    }

    /** Sets when the timers are next due for a session whose state did not change (null for never). */
    void reschedule(ConversationId conversation, Instant due) {
        jdbc.sql("update flow_session set due_at = ? where conversation_id = ?")
                .params(due == null ? null : due.atOffset(ZoneOffset.UTC), conversation.value()).update();
    }

    /** Forgets a session: its key is destroyed, so the answers it held are gone from backups too. */
    void delete(Stored stored) {
        jdbc.sql("delete from flow_session where conversation_id = ?").param(stored.conversation().value()).update();
        protection.destroy(stored.key());
    }

    /** Forgets the conversation's session, if it has one, destroying its key. */
    void delete(ConversationId conversation) {
        jdbc.sql("select data_key_id from flow_session where conversation_id = ?").param(conversation.value())
                .query(UUID.class).optional()
                .ifPresent(key -> delete(new Stored(conversation, new DataKeyId(key), null, null)));
    }

    /** Forgets the sessions that refer to a case about to be removed. */
    void deleteOfCase(CaseId caseId) {
        jdbc.sql("select conversation_id from flow_session where case_id = ?").param(caseId.value())
                .query(UUID.class).list().forEach(conversation -> delete(new ConversationId(conversation)));
    }

    /**
     * Sessions that never led to a case and were untouched since {@code before}: abandoned intakes, whose answers
     * go with their keys.
     */
    int deleteAbandoned(Instant before, boolean dryRun) {
        var abandoned = jdbc.sql("select conversation_id from flow_session where case_id is null and updated_at < ?")
                .param(before.atOffset(ZoneOffset.UTC)).query(UUID.class).list();
        if (!dryRun) {
            abandoned.forEach(conversation -> delete(new ConversationId(conversation)));
        }
        return abandoned.size();
    }

    /** Where a pass of the timers stands: the due time and conversation of the last session it read. */
    record Due(Instant at, ConversationId conversation) {
    }

    /**
     * Up to {@code limit} sessions due by {@code now}, in due order, after {@code after} (null: from the first). The
     * read locks nothing: each is claimed on its own by {@link #tryLockDue}. The {@code (due_at, conversation_id)}
     * index serves both the condition and the order, so a read costs the rows it returns however many wait.
     */
    List<Due> dueBy(Instant now, Due after, int limit) {
        var sql = after == null
                ? "select due_at, conversation_id from flow_session where due_at <= :now order by due_at, conversation_id limit :limit"
                : """
                select due_at, conversation_id from flow_session
                where due_at <= :now and due_at >= :at and (due_at > :at or conversation_id > :id)
                order by due_at, conversation_id limit :limit""";
        var query = jdbc.sql(sql).param("now", now.atOffset(ZoneOffset.UTC)).param("limit", limit);
        if (after != null) {
            query = query.param("at", after.at().atOffset(ZoneOffset.UTC)).param("id", after.conversation().value());
        }
        return query.query((rs, n) -> new Due(rs.getObject("due_at", OffsetDateTime.class).toInstant(),
                new ConversationId(rs.getObject("conversation_id", UUID.class)))).list();
    }

    /**
     * Locks a session that is due by {@code now}, unless another node holds it (it ticks it, or an answer is being
     * applied). The due time is checked under the lock: a session another node ticked, or that got an answer, since
     * it was read is no longer due, so it is never ticked twice for one due time.
     */
    Optional<Stored> tryLockDue(ConversationId conversation, Instant now) {
        var locked = jdbc.sql("""
                select conversation_id from flow_session where conversation_id = ? and due_at <= ?
                for update skip locked""")
                .params(conversation.value(), now.atOffset(ZoneOffset.UTC)).query(UUID.class).optional();
        return locked.isPresent() ? lock(conversation) : Optional.empty();
    }

    private static String context(ConversationId conversation) {
        return "flow_session.state:" + conversation.value();
    }
}
