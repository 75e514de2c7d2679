package org.lifeline.channels;

import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;

/**
 * Drives a conversation when something arrives (the flows module implements it). Called inside the transaction
 * that marks the inbound update processed, one update per sender at a time in arrival order: whatever it sends
 * through {@link ChannelGateway} is committed together with it.
 */
public interface InboundEventHandler {

    void on(InboundEvent event);

    /**
     * What a start in this language (and through this running campaign's code, or none) would be answered, worked out
     * from the flows alone: nothing is recorded, sent or kept. For a channel that shows the first question before
     * anything is stored (the web chat without a session yet); the real start, later, says the same unless the flows
     * changed meanwhile. Empty when there is nothing to say or it cannot be worked out.
     */
    default java.util.List<OutboundContent> opening(String languageHint, String entryCode) {
        return java.util.List.of();
    }

    /**
     * An update from him failed on every attempt and was set aside: what he sent is not recorded, and he must not be
     * left unheard. Called in the transaction that sets the update aside, after the failed ones rolled back; the
     * contact and conversation are his (found or made again), {@code languageHint} the channel's, if any. Without a
     * driver nobody answers, as for any update.
     */
    default void onSetAside(ContactId contact, ConversationId conversation, String languageHint) {
    }
}
