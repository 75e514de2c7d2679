package org.lifeline.channels.internal;

import java.util.Locale;

import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.InboundEvent;
import org.lifeline.channels.InboundEventHandler;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.Reachability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns stored raw updates into conversation events, one update per sender at a time. Everything an update
 * causes (the recorded message, the flow's answer in the outbox) commits in one transaction with marking it
 * processed, so a crash either redoes the whole update or none of it.
 */
@Component
class InboundProcessor {

    private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);
    static final int MAX_ATTEMPTS = 5;

    private final InboundUpdates updates;
    private final Adapters adapters;
    private final ConversationManagement conversations;
    private final ChannelRoutes routes;
    private final AttachmentFetches attachments;
    private final ObjectProvider<InboundEventHandler> handler;
    private final TransactionTemplate transaction;

    InboundProcessor(InboundUpdates updates, Adapters adapters, ConversationManagement conversations,
            ChannelRoutes routes, AttachmentFetches attachments, ObjectProvider<InboundEventHandler> handler, PlatformTransactionManager transactions) {
        this.updates = updates;
        this.adapters = adapters;
        this.conversations = conversations;
        this.routes = routes;
        this.attachments = attachments;
        this.handler = handler;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Processes the next ready update, if any. Returns false when nothing was ready. */
    boolean processNext() {
        var current = new long[] {-1};
        try {
            return Boolean.TRUE.equals(transaction.execute(status -> {
                var claimed = updates.claimNext();
                if (claimed.isEmpty()) {
                    return false;
                }
                var update = claimed.get();
                current[0] = update.id();
                var adapter = adapters.get(update.channel());
                var payload = updates.payload(update);
                apply(update.channel(), update.endpoint(), adapter.interpret(update.endpoint(), payload));
                updates.markProcessed(update.id());
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        adapter.acknowledge(update.endpoint(), payload);
                    }
                });
                return true;
            }));
        } catch (RuntimeException e) {
            if (current[0] < 0) {
                throw e;
            }
            // the class name only: messages may quote personal data
            log.warn("Inbound update {} failed: {}", current[0], e.getClass().getSimpleName());
            transaction.executeWithoutResult(status ->
                    updates.recordFailure(current[0], e.getClass().getSimpleName(), MAX_ATTEMPTS));
            return true;
        }
    }

    private void apply(String channel, String endpoint, ChannelInput input) {
        if (!(input instanceof ChannelInput.FromSender from)) {
            return;
        }
        var hint = normalise(from.languageHint());
        var contact = conversations.findOrCreateContact(channel, from.senderId(), hint);
        switch (from) {
            case ChannelInput.Blocked b -> {
                conversations.markUnreachable(contact);
                return;
            }
            case ChannelInput.Unblocked u -> {
                conversations.markReachable(contact);
                return;
            }
            default -> {
            }
        }
        if (conversations.contact(contact).reachability() == Reachability.BLOCKED) {
            // marked as a provocation: recorded nowhere, answered never
            return;
        }
        var entryCode = from instanceof ChannelInput.Start start ? start.entryCode() : null;
        var conversation = conversations.openOrResumeConversation(contact, hint, entryCode);
        routes.remember(conversation, channel, endpoint);
        InboundEvent event = switch (from) {
            case ChannelInput.Text t -> {
                conversations.recordInbound(conversation, t.text(), t.channelMessageId());
                yield new InboundEvent.TextReceived(contact, conversation, hint, t.text());
            }
            case ChannelInput.Start s -> {
                conversations.recordInbound(conversation, s.entryCode() == null ? "/start" : "/start " + s.entryCode(),
                        s.channelMessageId());
                yield new InboundEvent.Started(contact, conversation, hint, s.entryCode());
            }
            case ChannelInput.Choice c -> {
                conversations.recordInbound(conversation, "[choice] " + c.choiceId(), c.channelMessageId());
                yield new InboundEvent.ChoiceMade(contact, conversation, hint, c.choiceId());
            }
            case ChannelInput.Location l -> {
                conversations.recordInbound(conversation,
                        String.format(Locale.ROOT, "[location] %.6f, %.6f", l.latitude(), l.longitude()),
                        l.channelMessageId());
                yield new InboundEvent.LocationShared(contact, conversation, hint, l.latitude(), l.longitude());
            }
            case ChannelInput.ContactCard c -> {
                conversations.recordInbound(conversation, "[contact] " + c.phoneNumber(), c.channelMessageId());
                yield new InboundEvent.ContactShared(contact, conversation, hint, c.phoneNumber());
            }
            case ChannelInput.Photo p -> {
                var body = "[photo]" + (p.caption() == null ? "" : "\n" + p.caption());
                var message = conversations.recordInbound(conversation, body, p.channelMessageId());
                attachments.add(channel, endpoint, message, p.fileReference());
                yield new InboundEvent.PhotoReceived(contact, conversation, hint, message.value().toString(), p.caption());
            }
            case ChannelInput.Blocked b -> throw new IllegalStateException("handled above");
            case ChannelInput.Unblocked u -> throw new IllegalStateException("handled above");
        };
        handler.ifAvailable(h -> h.on(event));
    }

    private static String normalise(String languageHint) {
        if (languageHint == null || languageHint.isBlank()) {
            return null;
        }
        return languageHint.toLowerCase(Locale.ROOT).split("[-_]")[0];
    }
}
