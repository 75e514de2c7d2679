package org.lifeline.channels.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.lifeline.channels.SetAsideUpdates;
import org.lifeline.conversations.ConversationId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The inbound updates {@link InboundProcessor} set aside ({@code FAILED}), read and acted on by admins. */
@Repository
class FailedUpdates implements SetAsideUpdates {

    private final JdbcClient jdbc;

    FailedUpdates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<SetAside> list(int most) {
        return jdbc.sql("""
                        select id, channel, endpoint, received_at, set_aside_at, attempts, error_code, conversation_id,
                          payload_enc is not null as kept
                        from inbound_update where state = 'FAILED'
                        order by id desc
                        fetch first ? rows only""")
                .param(most)
                .query((rs, n) -> {
                    var setAside = rs.getObject("set_aside_at", OffsetDateTime.class);
                    var conversation = rs.getObject("conversation_id", UUID.class);
                    return new SetAside(rs.getLong("id"), rs.getString("channel"), rs.getString("endpoint"),
                            rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                            setAside == null ? null : setAside.toInstant(), rs.getInt("attempts"),
                            rs.getString("error_code"), conversation == null ? null : new ConversationId(conversation),
                            rs.getBoolean("kept"));
                })
                .list();
    }

    @Override
    public long count() {
        return jdbc.sql("select count(*) from inbound_update where state = 'FAILED'").query(Long.class).single();
    }

    /**
     * The workers' next claim finds it (they poll): it has its old id, so it heads its sender's queue, and its
     * day's key is kept while it is pending. It keeps the conversation it was handed over in: set aside again while
     * that is still with the operators, it does not hand it over or tell him again.
     */
    @Override
    @Transactional
    public Outcome retry(long id) {
        var moved = jdbc.sql("""
                        update inbound_update set state = 'PENDING', attempts = 0, error_code = null, retry_at = null,
                          set_aside_at = null
                        where id = ? and state = 'FAILED' and payload_enc is not null""")
                .param(id).update();
        if (moved == 1) {
            return Outcome.DONE;
        }
        var gone = jdbc.sql("select count(*) from inbound_update where id = ? and state = 'FAILED'").param(id)
                .query(Long.class).single();
        return gone > 0 ? Outcome.PAYLOAD_GONE : Outcome.NOT_FOUND;
    }

    @Override
    @Transactional
    public Outcome discard(long id) {
        var discarded = jdbc.sql("""
                        update inbound_update set state = 'DISCARDED', payload_enc = null
                        where id = ? and state = 'FAILED'""")
                .param(id).update();
        return discarded == 1 ? Outcome.DONE : Outcome.NOT_FOUND;
    }
}
