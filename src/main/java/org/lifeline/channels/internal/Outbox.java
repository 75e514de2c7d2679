package org.lifeline.channels.internal;

import java.util.List;

import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ContactMarkedBlocked;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.MessageId;
import org.lifeline.conversations.Reachability;
import org.lifeline.privacy.DataProtection;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Component
class Outbox implements ChannelGateway {

    /** The delivery detail of what is never sent because an operator blocked the contact. */
    static final String OPERATOR_BLOCKED = "operator-blocked";
    /** The delivery detail of what is never sent because the channel said he cannot be reached (until he writes). */
    static final String UNREACHABLE = "unreachable";

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
    public List<MessageId> send(ConversationId conversation, List<OutboundContent> whole) {
        if (whole.isEmpty()) {
            return List.of();
        }
        var route = routes.find(conversation)
                .orElseThrow(() -> new IllegalStateException("Conversation " + conversation.value() + " has no channel route"));
        var adapter = adapters.get(route.channel());
        var contact = conversations.contactOf(conversation);
        var recipient = conversations.externalId(contact)
                .orElseThrow(() -> new IllegalStateException("Conversation " + conversation.value() + " has a forgotten contact"));
        // each part a message of its own: the outbox keeps a chat's order, and one refused part fails only itself
        var contents = whole.stream()
                .flatMap(content -> adapter.parts(route.endpoint(), recipient, content).stream()).toList();
        var sent = conversations.recordOutbound(conversation, contents.stream().map(OutboundContent::text).toList());
        var reachability = conversations.contact(contact).reachability();
        if (reachability != Reachability.REACHABLE) {
            // kept in the transcript, so the operator sees what the flow would have said, and never sent: he was
            // blocked by an operator, or he blocked us (or answered STOP) and has not written since
            var reason = reachability == Reachability.BLOCKED ? OPERATOR_BLOCKED : UNREACHABLE;
            sent.forEach(message -> conversations.updateDelivery(message, DeliveryState.FAILED, reason));
            return sent;
        }
        var ref = recipientRef(protection, route.channel(), route.endpoint(), recipient);
        for (var i = 0; i < contents.size(); i++) {
            var content = contents.get(i);
            messages.add(route.channel(), route.endpoint(), ref, recipient,
                    adapter.render(route.endpoint(), recipient, content), sent.get(i).value(),
                    // a notice is what a flow sends unasked (a reminder): replies someone is waiting for go first
                    content instanceof OutboundContent.Notice ? OutboxMessages.NOTICE : OutboxMessages.CONVERSATION);
        }
        wakeAfterCommit(route.channel());
        return sent;
    }

    /**
     * An operator blocked him (a provocation): nothing more is sent to him, what was already waiting included; the
     * transcript shows those messages as failed. In the transaction that blocks him, so both or neither happen.
     */
    @EventListener
    void on(ContactMarkedBlocked event) {
        var recipient = conversations.externalId(event.contact());
        if (recipient.isEmpty()) {
            return;
        }
        for (var conversation : conversations.conversationsOf(event.contact())) {
            routes.find(conversation).ifPresent(route -> messages
                    .failWaiting(recipientRef(protection, route.channel(), route.endpoint(), recipient.get()), OPERATOR_BLOCKED)
                    .forEach(message -> conversations.updateDelivery(new MessageId(message), DeliveryState.FAILED,
                            OPERATOR_BLOCKED)));
        }
    }

    /**
     * Once the transaction commits, the channel's dispatchers look for what it queued: once a transaction and
     * channel, however many answers a batch of updates queued for it. Outside a transaction (a test's direct call)
     * at once.
     */
    private void wakeAfterCommit(String channel) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            workers.wakeDispatcher(channel);
            return;
        }
        // the transaction's own synchronizations: a transaction of its own inside it has others, and wakes for itself
        for (var synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof WakeAfterCommit wake && wake.outbox == this) {
                wake.channels.add(channel);
                return;
            }
        }
        var wake = new WakeAfterCommit(this);
        wake.channels.add(channel);
        TransactionSynchronizationManager.registerSynchronization(wake);
    }

    private static final class WakeAfterCommit implements TransactionSynchronization {

        private final Outbox outbox;
        private final java.util.Set<String> channels = new java.util.LinkedHashSet<>();

        WakeAfterCommit(Outbox outbox) {
            this.outbox = outbox;
        }

        @Override
        public void afterCommit() {
            channels.forEach(outbox.workers::wakeDispatcher);
        }
    }

    static byte[] recipientRef(DataProtection protection, String channel, String endpoint, String recipient) {
        return protection.blindIndex("channel.recipient", channel + ":" + endpoint + ":" + recipient);
    }
}
