package org.lifeline.channels.internal;

import java.util.Optional;

import org.lifeline.conversations.ConversationId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which bot or number a conversation's replies go out through. */
@Repository
class ChannelRoutes {

    private final JdbcClient jdbc;

    ChannelRoutes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void remember(ConversationId conversation, String channel, String endpoint) {
        var updated = jdbc.sql("update channel_route set channel = ?, endpoint = ? where conversation_id = ?")
                .params(channel, endpoint, conversation.value()).update();
        if (updated == 0) {
            jdbc.sql("insert into channel_route (conversation_id, channel, endpoint) values (?, ?, ?)")
                    .params(conversation.value(), channel, endpoint).update();
        }
    }

    Optional<Route> find(ConversationId conversation) {
        return jdbc.sql("select channel, endpoint from channel_route where conversation_id = ?")
                .param(conversation.value())
                .query((rs, n) -> new Route(rs.getString("channel"), rs.getString("endpoint")))
                .optional();
    }

    record Route(String channel, String endpoint) {
    }

}
