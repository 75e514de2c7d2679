package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.MessageId;
import org.lifeline.conversations.MessageView;
import org.lifeline.privacy.DataProtection;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A flow step's outputs go out as one batch: the route, the conversation and the requester's address are read once,
 * whatever the number of outputs. Counted on the real beans: every decryption goes through a counting wrapper of
 * {@link DataProtection}. The endpoint is served by no node, so what is queued stays in the outbox to be looked at.
 */
@PersistenceTest
@SpringBootTest(classes = {org.lifeline.LifelineApplication.class, OutboxBatchIntegrationTests.Counting.class})
class OutboxBatchIntegrationTests {

    static final String BOT = "lifeline_batch_bot";
    static final AtomicInteger DECRYPTIONS = new AtomicInteger();

    @TestConfiguration
    static class Counting {
        @Bean
        static BeanPostProcessor countingDecryptions() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof DataProtection protection)) {
                        return bean;
                    }
                    return Proxy.newProxyInstance(DataProtection.class.getClassLoader(),
                            new Class<?>[] {DataProtection.class}, (proxy, method, arguments) -> {
                                if (method.getName().startsWith("decrypt")) {
                                    DECRYPTIONS.incrementAndGet();
                                }
                                try {
                                    return method.invoke(protection, arguments);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                }
            };
        }
    }

    @Autowired
    ChannelGateway gateway;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ChannelRoutes routes;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OutboxMessages outbox;

    @Autowired
    DataProtection protection;

    @Test
    void aStepWithSeveralOutputsDecryptsNoMoreThanAStepWithOneAndKeepsTheirOrder() {
        var conversation = conversationWithEntryCode();
        var one = List.<OutboundContent>of(new OutboundContent.Text("Вы в безопасности."));
        var three = List.<OutboundContent>of(new OutboundContent.Text("Первое."), new OutboundContent.Notice("Второе."),
                new OutboundContent.Choices("Третье?", List.of(new OutboundContent.Choice("yes", "Да"))));

        var forOne = decryptionsOf(() -> gateway.send(conversation, one));
        var sent = new Object[1];
        var forThree = decryptionsOf(() -> sent[0] = gateway.send(conversation, three));

        assertThat(forOne).as("his address, and nothing else of his").isEqualTo(1);
        assertThat(forThree).isEqualTo(forOne);
        @SuppressWarnings("unchecked")
        var ids = (List<MessageId>) sent[0];
        assertThat(conversations.transcript(conversation)).extracting(MessageView::body)
                .containsExactly("Вы в безопасности.", "Первое.", "Второе.", "Третье?");
        assertThat(conversations.transcript(conversation).subList(1, 4)).extracting(MessageView::id)
                .containsExactlyElementsOf(ids);
        assertThat(jdbc.sql("select message_id from outbox_message where endpoint = ? and message_id in (?, ?, ?) order by id")
                .params(BOT, ids.get(0).value(), ids.get(1).value(), ids.get(2).value())
                .query(java.util.UUID.class).list()).containsExactlyElementsOf(ids.stream().map(MessageId::value).toList());
    }

    /**
     * What a transaction queues is written just before it commits, all of it in the order queued: an earlier
     * statement of the same transaction does not see it yet, any statement of the outbox's own writes it first, and a
     * rolled-back transaction leaves nothing.
     */
    @Test
    void answersQueuedInATransactionAreWrittenAtItsCommitInTheOrderQueued() {
        var first = conversationWithEntryCode();
        var second = conversationWithEntryCode();
        var seen = transaction.execute(status -> {
            var ids = new java.util.ArrayList<MessageId>();
            ids.addAll(gateway.send(first, List.of(new OutboundContent.Text("Раз."), new OutboundContent.Text("Два."))));
            ids.addAll(gateway.send(second, List.of(new OutboundContent.Text("Три."))));
            ids.addAll(gateway.send(first, List.of(new OutboundContent.Text("Четыре."))));
            var beforeAnyOutboxStatement = queuedRows(ids).size();
            var recipient = conversations.externalId(conversations.contactOf(first)).orElseThrow();
            var pending = outbox.pendingFor(Outbox.recipientRef(protection, "telegram", BOT, recipient));
            return List.of(ids, beforeAnyOutboxStatement, pending, queuedRows(ids));
        });
        @SuppressWarnings("unchecked")
        var ids = ((List<MessageId>) seen.get(0)).stream().map(MessageId::value).toList();
        assertThat(seen.get(1)).as("rows written before the commit, or an outbox statement").isEqualTo(0);
        assertThat(seen.get(2)).as("the outbox's own statement finds them").isEqualTo(true);
        assertThat(seen.get(3)).as("written by it, in order").isEqualTo(ids);
        assertThat(queuedRows(ids.stream().map(MessageId::new).toList())).as("committed, in order").isEqualTo(ids);

        var rolledBack = transaction.execute(status -> {
            status.setRollbackOnly();
            return gateway.send(first, List.of(new OutboundContent.Text("Пять.")));
        });
        assertThat(queuedRows(rolledBack)).isEmpty();
    }

    private List<java.util.UUID> queuedRows(List<MessageId> ids) {
        return jdbc.sql("select message_id from outbox_message where message_id in (:ids) order by id")
                .param("ids", ids.stream().map(MessageId::value).toList()).query(java.util.UUID.class).list();
    }

    private int decryptionsOf(Runnable send) {
        return transaction.execute(status -> {
            DECRYPTIONS.set(0);
            send.run();
            return DECRYPTIONS.get();
        });
    }

    private ConversationId conversationWithEntryCode() {
        var chat = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L));
        var contact = conversations.findOrCreateContact("telegram", chat, "ru");
        var conversation = conversations.openOrResumeConversation(contact, "ru", "batch-code");
        routes.remember(conversation, "telegram", BOT);
        return conversation;
    }
}
