package org.lifeline.channels.internal;

import java.util.Locale;

import org.lifeline.campaigns.Campaign;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.InboundEvent;
import org.lifeline.channels.InboundEventHandler;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.Reachability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns stored raw updates into conversation events, one update per sender at a time. Everything an update
 * causes (the recorded message, the flow's answer in the outbox) commits in one transaction with marking it
 * processed, so a crash either redoes the whole update or none of it.
 */
@Component
class InboundProcessor implements org.springframework.beans.factory.DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);
    static final int MAX_ATTEMPTS = 5;
    /** Acknowledgements under way at once; past that one is left out (Telegram stops the spinner itself later). */
    static final int ACKNOWLEDGEMENTS_IN_FLIGHT = 64;

    private final InboundUpdates updates;
    private final Adapters adapters;
    private final ConversationManagement conversations;
    private final CampaignManagement campaigns;
    private final ChannelRoutes routes;
    private final AttachmentFetches attachments;
    private final ObjectProvider<InboundEventHandler> handler;
    private final TransactionTemplate transaction;
    private final SenderWaits waits;
    /** The channels' acknowledgements go out here, so that no worker waits on the network for one. */
    private final java.util.concurrent.ExecutorService acknowledgements = java.util.concurrent.Executors
            .newThreadPerTaskExecutor(Thread.ofVirtual().name("inbound-acknowledgement-", 0).factory());
    private final java.util.concurrent.Semaphore acknowledgementSlots =
            new java.util.concurrent.Semaphore(ACKNOWLEDGEMENTS_IN_FLIGHT);

    InboundProcessor(InboundUpdates updates, Adapters adapters, ConversationManagement conversations,
            CampaignManagement campaigns, ChannelRoutes routes, AttachmentFetches attachments, ObjectProvider<InboundEventHandler> handler, PlatformTransactionManager transactions,
            SenderWaits waits) {
        this.updates = updates;
        this.adapters = adapters;
        this.conversations = conversations;
        this.campaigns = campaigns;
        this.routes = routes;
        this.attachments = attachments;
        this.handler = handler;
        this.transaction = new TransactionTemplate(transactions);
        this.waits = waits;
    }

    /**
     * Processes the next ready update, if any. Returns false when nothing was ready. The channel's acknowledgement
     * (Telegram: stop the pressed button's spinner) is a network call, so it goes out once the transaction is over
     * and its connection back in the pool, and on a thread of its own.
     */
    boolean processNext() {
        var current = new long[] {-1};
        var claimedUpdate = new InboundUpdates.Claimed[1];
        var acknowledgement = new Runnable[1];
        boolean processed;
        try {
            processed = Boolean.TRUE.equals(transaction.execute(status -> {
                var claimed = updates.claimNext(adapters.served());
                if (claimed.isEmpty()) {
                    return false;
                }
                var update = claimed.get();
                current[0] = update.id();
                claimedUpdate[0] = update;
                var adapter = adapters.get(update.channel());
                var payload = updates.payload(update);
                apply(update.channel(), update.endpoint(), adapter.interpret(update.endpoint(), payload));
                updates.markProcessed(update.id());
                acknowledgement[0] = () -> adapter.acknowledge(update.endpoint(), payload);
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
            settled(claimedUpdate[0]);
            return true;
        }
        settled(claimedUpdate[0]);
        if (acknowledgement[0] != null) {
            acknowledge(acknowledgement[0]);
        }
        return processed;
    }

    /**
     * Sends the channel's acknowledgement (Telegram: stop the pressed button's spinner) in the background: a slow
     * channel must not hold a worker, and with it everyone's next message, for its round trip.
     */
    private void acknowledge(Runnable acknowledgement) {
        if (!acknowledgementSlots.tryAcquire()) {
            return;
        }
        try {
            acknowledgements.execute(() -> {
                try {
                    acknowledgement.run();
                } catch (RuntimeException e) {
                    log.warn("Acknowledging an update failed: {}", e.getClass().getSimpleName());
                } finally {
                    acknowledgementSlots.release();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            acknowledgementSlots.release();
        }
    }

    @Override
    public void destroy() {
        acknowledgements.shutdown();
    }

    /** After the commit: whoever waits for this sender looks again. */
    private void settled(InboundUpdates.Claimed update) {
        if (update != null) {
            waits.settled(update.channel(), update.senderRef());
        }
    }

    private void apply(String channel, String endpoint, ChannelInput input) {
        if (!(input instanceof ChannelInput.FromSender from)) {
            return;
        }
        var entryCode = from instanceof ChannelInput.Start start ? start.entryCode() : null;
        var campaign = campaigns.attribution(entryCode);
        // the campaign's language outranks the phone's: a Korean QR code opens a Korean conversation on a phone
        // set to Russian (soldiers carry whatever phone they were issued)
        var hint = campaign.map(Campaign::language).orElseGet(() -> normalise(from.languageHint()));
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
        var conversation = conversations.openOrResumeConversation(contact, hint, entryCode,
                campaign.map(c -> c.id().value()).orElse(null));
        routes.remember(conversation, channel, endpoint);
        InboundEvent event = switch (from) {
            case ChannelInput.Text t -> {
                conversations.recordInbound(conversation, new MessageContent.Text(t.text()), t.channelMessageId());
                yield new InboundEvent.TextReceived(contact, conversation, hint, t.text());
            }
            case ChannelInput.Start s -> {
                conversations.recordInbound(conversation, new MessageContent.Start(s.entryCode()), s.channelMessageId());
                yield new InboundEvent.Started(contact, conversation, hint, s.entryCode());
            }
            case ChannelInput.Choice c -> {
                conversations.recordInbound(conversation, new MessageContent.Choice(c.choiceId()), c.channelMessageId());
                yield new InboundEvent.ChoiceMade(contact, conversation, hint, c.choiceId());
            }
            case ChannelInput.Location l -> {
                conversations.recordInbound(conversation, new MessageContent.Location(l.latitude(), l.longitude()),
                        l.channelMessageId());
                yield new InboundEvent.LocationShared(contact, conversation, hint, l.latitude(), l.longitude());
            }
            case ChannelInput.ContactCard c -> {
                conversations.recordInbound(conversation, new MessageContent.ContactCard(c.phoneNumber()),
                        c.channelMessageId());
                yield new InboundEvent.ContactShared(contact, conversation, hint, c.phoneNumber());
            }
            case ChannelInput.Photo p -> {
                var message = conversations.recordInbound(conversation, new MessageContent.Photo(p.caption()),
                        p.channelMessageId());
                attachments.add(channel, endpoint, message, p.fileReference());
                yield new InboundEvent.PhotoReceived(contact, conversation, hint, message.value().toString(), p.caption());
            }
            case ChannelInput.Voice v -> {
                var message = conversations.recordInbound(conversation, new MessageContent.Voice(), v.channelMessageId());
                attachments.add(channel, endpoint, message, v.fileReference());
                // the flow cannot listen: it hears a marker it does not understand and asks again in writing
                yield new InboundEvent.TextReceived(contact, conversation, hint, "[voice]");
            }
            case ChannelInput.Note n -> {
                conversations.recordInbound(conversation, n.call(), n.channelMessageId());
                yield null;
            }
            case ChannelInput.Recording r -> {
                var message = conversations.recordInbound(conversation, new MessageContent.Voicemail(r.seconds()),
                        r.channelMessageId());
                attachments.add(channel, endpoint, message, r.fileReference());
                yield null;
            }
            case ChannelInput.CallbackRequest c -> {
                conversations.recordInbound(conversation, new MessageContent.CallbackRequest(c.about()),
                        c.channelMessageId());
                yield new InboundEvent.CallbackRequested(contact, conversation, hint, c.about());
            }
            case ChannelInput.Blocked b -> throw new IllegalStateException("handled above");
            case ChannelInput.Unblocked u -> throw new IllegalStateException("handled above");
        };
        if (event != null) {
            handler.ifAvailable(h -> h.on(event));
        }
    }

    private static String normalise(String languageHint) {
        if (languageHint == null || languageHint.isBlank()) {
            return null;
        }
        return languageHint.toLowerCase(Locale.ROOT).split("[-_]")[0];
    }
}
