package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A conversation's route is written when it is new or changes, and only then: nearly every update arrives the way
 * the conversation's last one did, and rewriting the unchanged row cost a write at every update. Whether a statement
 * writes the row is seen from outside: another transaction holds the row locked, and a write would wait for it
 * (a short lock timeout turns that wait into a failure), a read does not.
 */
@PersistenceTest
@SpringBootTest(classes = org.lifeline.LifelineApplication.class)
class ChannelRoutesIntegrationTests {

    @Autowired
    ChannelRoutes routes;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anUnchangedRouteIsNotWrittenAgainAndAChangedOneIs() throws Exception {
        var conversation = conversation();
        transaction.executeWithoutResult(status -> routes.remember(conversation, "telegram", "routes_first_bot"));
        assertThat(stored(conversation)).isEqualTo("telegram/routes_first_bot");

        var locked = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var holder = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
            jdbc.sql("select conversation_id from channel_route where conversation_id = ? for update")
                    .param(conversation.value()).query(Object.class).list();
            locked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            transaction.executeWithoutResult(status -> withShortLockTimeout(() -> {
                routes.remember(conversation, "telegram", "routes_first_bot");
                assertThat(routes.find(conversation)).contains(new ChannelRoutes.Route("telegram", "routes_first_bot"));
            }));
        } finally {
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }

        transaction.executeWithoutResult(status -> routes.remember(conversation, "telegram", "routes_second_bot"));
        assertThat(stored(conversation)).isEqualTo("telegram/routes_second_bot");
        transaction.executeWithoutResult(status -> routes.remember(conversation, "whatsapp", "routes_second_bot"));
        assertThat(stored(conversation)).isEqualTo("whatsapp/routes_second_bot");
    }

    /**
     * A write waiting for the other transaction's lock fails within a second instead of waiting for it; H2's
     * setting belongs to the pooled connection, so it is set back afterwards.
     */
    private void withShortLockTimeout(Runnable inTransaction) {
        if (DatabaseAvailability.onPostgres()) {
            jdbc.sql("set local lock_timeout = '1s'").update();
            inTransaction.run();
            return;
        }
        var before = jdbc.sql("select lock_timeout()").query(Integer.class).single();
        jdbc.sql("set lock_timeout 1000").update();
        try {
            inTransaction.run();
        } finally {
            jdbc.sql("set lock_timeout " + before).update();
        }
    }

    private String stored(ConversationId conversation) {
        return jdbc.sql("select channel || '/' || endpoint from channel_route where conversation_id = ?")
                .param(conversation.value()).query(String.class).single();
    }

    private ConversationId conversation() {
        var chat = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L));
        var contact = conversations.findOrCreateContact("telegram", chat, "ru");
        return conversations.openOrResumeConversation(contact, "ru", null);
    }
}
