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

    void remember(ConversationId conversation, String channel, String endpoint) {
        var updated = jdbc.sql("update channel_route set channel = ?, endpoint = ? where conversation_id = ?")
                .params(channel, endpoint, conversation.value()).update();
        if (updated == 0) {
            jdbc.sql("insert into channel_route (conversation_id, channel, endpoint) values (?, ?, ?)")
                    .params(conversation.value(), channel, endpoint).update();
        }
        var remembered = this.remembered.get();
        if (remembered != null) {
            remembered.put(conversation, new Route(channel, endpoint));
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
