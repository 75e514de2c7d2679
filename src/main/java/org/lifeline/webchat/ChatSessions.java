package org.lifeline.webchat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code webchat_session} table, by the keyed hash of the cookie's token. A session idle past the timeout is
 * treated as gone and deleted with the others whenever a new one begins.
 */
@Repository
class ChatSessions {

    private final JdbcClient jdbc;
    private final Clock clock;

    ChatSessions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Row(byte[] tokenRef, byte[] identityRef, boolean autoRefresh) {
    }

    void insert(byte[] tokenRef, byte[] identityRef, Duration idleTimeout) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        jdbc.sql("delete from webchat_session where last_seen_at < ?").param(now.minus(idleTimeout)).update();
        jdbc.sql("""
                insert into webchat_session (token_ref, identity_ref, auto_refresh, created_at, last_seen_at)
                values (?, ?, false, ?, ?)""")
                .params(tokenRef, identityRef, now, now).update();
    }

    /**
     * The live session; with {@code touch} its idle time starts again.
     *
     * @param tokenRefs the token's keyed hash under every index key (a session may predate a rotation)
     */
    Optional<Row> find(List<byte[]> tokenRefs, Duration idleTimeout, boolean touch) {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        var row = jdbc.sql("""
                        select token_ref, identity_ref, auto_refresh from webchat_session
                        where token_ref in (:refs) and last_seen_at >= :since fetch first 1 rows only""")
                .param("refs", tokenRefs).param("since", now.minus(idleTimeout))
                .query((rs, n) -> new Row(rs.getBytes("token_ref"), rs.getBytes("identity_ref"),
                        rs.getBoolean("auto_refresh")))
                .optional();
        if (row.isPresent() && touch) {
            jdbc.sql("update webchat_session set last_seen_at = ? where token_ref = ?").params(now, row.get().tokenRef())
                    .update();
        }
        return row;
    }

    void setAutoRefresh(List<byte[]> tokenRefs, boolean on) {
        jdbc.sql("update webchat_session set auto_refresh = :on where token_ref in (:refs)").param("on", on)
                .param("refs", tokenRefs).update();
    }

    /** Ends every session of one chat, in every browser. */
    void deleteAllOf(byte[] identityRef) {
        jdbc.sql("delete from webchat_session where identity_ref = ?").param(identityRef).update();
    }

    void delete(List<byte[]> tokenRefs) {
        jdbc.sql("delete from webchat_session where token_ref in (:refs)").param("refs", tokenRefs).update();
    }
}
