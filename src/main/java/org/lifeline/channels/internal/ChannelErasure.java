package org.lifeline.channels.internal;

import java.util.LinkedHashSet;

import org.lifeline.conversations.ContactForgetting;
import org.lifeline.conversations.ConversationManagement;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A forgotten requester's rows in transit go with him: his raw updates already processed or dropped and the messages
 * sent to him keep a keyed hash of his channel id for their retention (7 days), against which whoever holds the index
 * key could test a guessed chat id or phone number and learn when he wrote. Found by that id before his key is
 * destroyed, in the same transaction; what is still pending stays to be settled (the update being processed, the
 * answer saying he was forgotten).
 */
@Component
class ChannelErasure {

    private final ConversationManagement conversations;
    private final ChannelRoutes routes;
    private final Intake intake;
    private final InboundUpdates updates;
    private final OutboxMessages messages;

    ChannelErasure(ConversationManagement conversations, ChannelRoutes routes, Intake intake, InboundUpdates updates,
            OutboxMessages messages) {
        this.conversations = conversations;
        this.routes = routes;
        this.intake = intake;
        this.updates = updates;
        this.messages = messages;
    }

    @EventListener
    void on(ContactForgetting event) {
        var id = conversations.externalId(event.contact());
        if (id.isEmpty()) {
            return;
        }
        var endpoints = new LinkedHashSet<ChannelRoutes.Route>();
        for (var conversation : conversations.conversationsOf(event.contact())) {
            routes.find(conversation).ifPresent(endpoints::add);
        }
        for (var route : endpoints) {
            var refs = intake.refs(route.channel(), route.endpoint(), id.get());
            updates.removeSettled(refs.get(0));
            messages.removeSettled(refs.get(1));
        }
    }
}
