package org.lifeline.channels;

import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;

/**
 * Something a requester did on a channel, already recorded on the conversation, handed to whoever drives the
 * conversation (a flow or an operator).
 */
public sealed interface InboundEvent {

    ContactId contact();

    ConversationId conversation();

    String languageHint();

    /** Free text typed by the requester. */
    record TextReceived(ContactId contact, ConversationId conversation, String languageHint, String text)
            implements InboundEvent {
    }

    /** The requester started (or restarted) the conversation, possibly through a link carrying an entry code. */
    record Started(ContactId contact, ConversationId conversation, String languageHint, String entryCode)
            implements InboundEvent {
    }

    /** The requester chose one of the offered choices. */
    record ChoiceMade(ContactId contact, ConversationId conversation, String languageHint, String choiceId)
            implements InboundEvent {
    }

    /** The requester shared a location. */
    record LocationShared(ContactId contact, ConversationId conversation, String languageHint, double latitude,
            double longitude) implements InboundEvent {
    }

    /** The requester shared a phone contact card. */
    record ContactShared(ContactId contact, ConversationId conversation, String languageHint, String phoneNumber)
            implements InboundEvent {
    }

    /** The requester sent a photo, stored encrypted as an attachment. */
    record PhotoReceived(ContactId contact, ConversationId conversation, String languageHint, String attachmentId,
            String caption) implements InboundEvent {
    }

    /**
     * The requester asked, on the phone line, to be called back about a surrender ({@code surrender}) or a missing
     * relative ({@code family}): a case opens for the operators, who decide whether calling is safe.
     */
    record CallbackRequested(ContactId contact, ConversationId conversation, String languageHint, String about)
            implements InboundEvent {
    }
}
