package org.lifeline.channels.internal;

import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.MessageId;
import org.lifeline.privacy.DataProtection;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Component
class Outbox implements ChannelGateway {

    private final ChannelRoutes routes;
    private final Adapters adapters;
    private final ConversationManagement conversations;
    private final OutboxMessages messages;
    private final DataProtection protection;
    private final ChannelWorkers workers;

    Outbox(ChannelRoutes routes, Adapters adapters, ConversationManagement conversations, OutboxMessages messages,
            DataProtection protection, ChannelWorkers workers) {
        this.routes = routes;
        this.adapters = adapters;
        this.conversations = conversations;
        this.messages = messages;
        this.protection = protection;
        this.workers = workers;
    }

    @Override
    @Transactional
    public MessageId send(ConversationId conversation, OutboundContent content) {
        var route = routes.find(conversation)
                .orElseThrow(() -> new IllegalStateException("Conversation " + conversation.value() + " has no channel route"));
        var adapter = adapters.get(route.channel());
        var recipient = conversations.externalId(conversations.conversation(conversation).contact())
                .orElseThrow(() -> new IllegalStateException("Conversation " + conversation.value() + " has a forgotten contact"));
        var message = conversations.recordOutbound(conversation, content.text());
        messages.add(route.channel(), route.endpoint(), recipientRef(protection, route.channel(), route.endpoint(), recipient), recipient,
                adapter.render(route.endpoint(), recipient, content), message.value());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    workers.wakeDispatcher();
                }
            });
        }
        return message;
    }

    static byte[] recipientRef(DataProtection protection, String channel, String endpoint, String recipient) {
        return protection.blindIndex("channel.recipient", channel + ":" + endpoint + ":" + recipient);
    }
}
