package org.lifeline.channels.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.lifeline.conversations.ConversationId;
import org.lifeline.platform.TransactionScoped;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Which bot or number a conversation's replies go out through. A route this transaction remembered is found again
 * without a statement: processing an update remembers its route and then queues the flow's answers through it.
 */
@Repository
class ChannelRoutes {

    private final JdbcClient jdbc;
    /** The routes this transaction wrote (a transaction of its own inside it has none, and reads the database). */
    private final TransactionScoped<Map<ConversationId, Route>> remembered;

    ChannelRoutes(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.remembered = new TransactionScoped<>(dataSource, HashMap::new);
    }

    /**
     * Writes the route only when it is new or changed: almost every update arrives the way its conversation's last
     * one did, and rewriting an unchanged row still cost a new row version on PostgreSQL and, on H2, a page of the
     * table written again at the commit.
     */
    void remember(ConversationId conversation, String channel, String endpoint) {
        var route = new Route(channel, endpoint);
        var known = find(conversation);
        if (known.isEmpty()) {
            jdbc.sql("insert into channel_route (conversation_id, channel, endpoint) values (?, ?, ?)")
                    .params(conversation.value(), channel, endpoint).update();
        } else if (!known.get().equals(route)) {
            jdbc.sql("update channel_route set channel = ?, endpoint = ? where conversation_id = ?")
                    .params(channel, endpoint, conversation.value()).update();
        }
        var remembered = this.remembered.get();
        if (remembered != null) {
            remembered.put(conversation, route);
        }
    }

    Optional<Route> find(ConversationId conversation) {
        var remembered = this.remembered.get();
        if (remembered != null && remembered.containsKey(conversation)) {
            return Optional.of(remembered.get(conversation));
        }
        return jdbc.sql("select channel, endpoint from channel_route where conversation_id = ?")
                .param(conversation.value())
                .query((rs, n) -> new Route(rs.getString("channel"), rs.getString("endpoint")))
                .optional();
    }

    record Route(String channel, String endpoint) {
    }

}
