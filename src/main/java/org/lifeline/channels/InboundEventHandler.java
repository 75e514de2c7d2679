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
     * An update from him failed on every attempt and was set aside: what he sent is not recorded, and he must not be
     * left unheard. Called in the transaction that sets the update aside, after the failed ones rolled back; the
     * contact and conversation are his (found or made again), {@code languageHint} the channel's, if any. Without a
     * driver nobody answers, as for any update.
     */
    default void onSetAside(ContactId contact, ConversationId conversation, String languageHint) {
    }
}
