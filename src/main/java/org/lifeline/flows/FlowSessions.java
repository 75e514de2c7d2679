package org.lifeline.flows;

import java.time.Clock;
import java.time.Instant;
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
                    var session = Session.decode(protection.decrypt(key, rs.getBytes("state_enc"), context(conversation)));
                    var caseId = rs.getObject("case_id", UUID.class);
                    return new Stored(conversation, key, session, caseId == null ? null : new CaseId(caseId));
                })
                .optional();
    }

    Stored save(ConversationId conversation, Optional<Stored> previous, Session session, CaseId caseId) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        if (previous.isPresent()) {
            var key = previous.get().key();
            jdbc.sql("update flow_session set state_enc = ?, status = ?, case_id = ?, updated_at = ? where conversation_id = ?")
                    .params(protection.encrypt(key, session.encode(), context(conversation)), session.status().name(),
                            caseId == null ? null : caseId.value(), now, conversation.value())
                    .update();
            return new Stored(conversation, key, session, caseId);
        }
        var key = protection.newDataKey();
        jdbc.sql("""
                insert into flow_session (conversation_id, data_key_id, state_enc, status, case_id, updated_at)
                values (?, ?, ?, ?, ?, ?)""")
                .params(conversation.value(), key.value(), protection.encrypt(key, session.encode(), context(conversation)),
                        session.status().name(), caseId == null ? null : caseId.value(), now)
                .update();
        return new Stored(conversation, key, session, caseId);
    }

    /** Forgets a session: its key is destroyed, so the answers it held are gone from backups too. */
    void delete(Stored stored) {
        jdbc.sql("delete from flow_session where conversation_id = ?").param(stored.conversation().value()).update();
        protection.destroy(stored.key());
    }

    /** Active sessions untouched since {@code before}: candidates for a reminder or expiry. */
    List<ConversationId> waitingSince(Instant before, int limit) {
        return jdbc.sql("""
                select conversation_id from flow_session where status = 'ACTIVE' and updated_at < ?
                order by updated_at limit ?""")
                .params(before.atOffset(ZoneOffset.UTC), limit)
                .query(UUID.class).list().stream().map(ConversationId::new).toList();
    }

    /** Locks a waiting session unless another node holds it. */
    Optional<Stored> tryLock(ConversationId conversation) {
        var locked = jdbc.sql("select conversation_id from flow_session where conversation_id = ? for update skip locked")
                .param(conversation.value()).query(UUID.class).optional();
        return locked.isPresent() ? lock(conversation) : Optional.empty();
    }

    private static String context(ConversationId conversation) {
        return "flow_session.state:" + conversation.value();
    }
}
