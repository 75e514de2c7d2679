package org.lifeline.channels.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.lifeline.conversations.ConversationId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Which bot or number a conversation's replies go out through. A route this transaction remembered is found again
 * without a statement: processing an update remembers its route and then queues the flow's answers through it.
 */
@Repository
class ChannelRoutes {

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    /** The key of this transaction's routes among its resources. */
    private final Object resource = new Object();

    ChannelRoutes(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    void remember(ConversationId conversation, String channel, String endpoint) {
        var updated = jdbc.sql("update channel_route set channel = ?, endpoint = ? where conversation_id = ?")
                .params(channel, endpoint, conversation.value()).update();
        if (updated == 0) {
            jdbc.sql("insert into channel_route (conversation_id, channel, endpoint) values (?, ?, ?)")
                    .params(conversation.value(), channel, endpoint).update();
        }
        var remembered = remembered();
        if (remembered != null) {
            remembered.put(conversation, new Route(channel, endpoint));
        }
    }

    Optional<Route> find(ConversationId conversation) {
        var remembered = remembered();
        if (remembered != null && remembered.containsKey(conversation)) {
            return Optional.of(remembered.get(conversation));
        }
        return jdbc.sql("select channel, endpoint from channel_route where conversation_id = ?")
                .param(conversation.value())
                .query((rs, n) -> new Route(rs.getString("channel"), rs.getString("endpoint")))
                .optional();
    }

    /**
     * The routes this transaction wrote, or null outside one; a transaction of its own inside it (another
     * connection) has none of them and reads the database.
     */
    private Map<ConversationId, Route> remembered() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        var connection = TransactionSynchronizationManager.getResource(dataSource);
        if (connection == null) {
            return null;
        }
        if (TransactionSynchronizationManager.getResource(resource) instanceof Remembered held) {
            return held.connection() == connection ? held.routes() : null;
        }
        var held = new Remembered(connection, new HashMap<>());
        TransactionSynchronizationManager.bindResource(resource, held);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(resource);
            }
        });
        return held.routes();
    }

    private record Remembered(Object connection, Map<ConversationId, Route> routes) {
    }

    record Route(String channel, String endpoint) {
    }

}
