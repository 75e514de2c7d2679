package org.lifeline.channels;

import org.lifeline.conversations.MessageContent;

/**
 * What a channel adapter reads out of one raw update, before it is tied to a contact. {@code senderId} is the
 * channel's own id of the requester (for Telegram, the private chat id); it never leaves this module unencrypted.
 */
public sealed interface ChannelInput {

    /** Updates that concern a requester. */
    sealed interface FromSender extends ChannelInput {
        String senderId();

        String languageHint();
    }

    record Text(String senderId, String languageHint, String text, String channelMessageId) implements FromSender {
    }

    /**
     * A start, with the deep-link payload he came by as sent (only a running campaign's code is kept).
     *
     * @param languageChosen he chose the language himself (the web chat's page), so it outranks a campaign's
     */
    record Start(String senderId, String languageHint, String entryCode, String channelMessageId,
            boolean languageChosen) implements FromSender {

        /** A start whose language is only a hint: the phone's, or guessed from his words. */
        public Start(String senderId, String languageHint, String entryCode, String channelMessageId) {
            this(senderId, languageHint, entryCode, channelMessageId, false);
        }
    }

    record Choice(String senderId, String languageHint, String choiceId, String channelMessageId) implements FromSender {
    }

    record Location(String senderId, String languageHint, double latitude, double longitude, String channelMessageId)
            implements FromSender {
    }

    record ContactCard(String senderId, String languageHint, String phoneNumber, String channelMessageId)
            implements FromSender {
    }

    /** A photo: {@code fileReference} lets the adapter fetch the bytes. */
    record Photo(String senderId, String languageHint, String fileReference, String caption, String channelMessageId)
            implements FromSender {
    }

    /** A voice note or other audio: kept like a photo, for operators to listen to. */
    record Voice(String senderId, String languageHint, String fileReference, String channelMessageId)
            implements FromSender {
    }

    /**
     * Something that happened on the channel for the operators to see, such as a phone call and how it ended:
     * recorded on the conversation, never handed to the flows (there is nothing to answer).
     */
    record Note(String senderId, String languageHint, MessageContent.Call call, String channelMessageId)
            implements FromSender {
    }

    /**
     * A recording left for the operators (a voicemail) of {@code seconds} (null when not known): its audio fetched
     * by {@code fileReference} and kept like a voice note; never handed to the flows.
     */
    record Recording(String senderId, String languageHint, String fileReference, Integer seconds, String channelMessageId)
            implements FromSender {
    }

    /**
     * The requester asked to be called back, saying what about ({@code surrender} or {@code family}): recorded, and
     * handed on so that a case opens for the operators. Only ever from his own explicit request.
     */
    record CallbackRequest(String senderId, String languageHint, String about, String channelMessageId)
            implements FromSender {
    }

    /** The requester blocked the bot or otherwise made himself unreachable on this channel. */
    record Blocked(String senderId, String languageHint) implements FromSender {
    }

    /** The requester unblocked the bot. */
    record Unblocked(String senderId, String languageHint) implements FromSender {
    }

    /** An update Lifeline does not act on (edits, reactions, group messages, unknown types); acknowledged and kept. */
    record Ignored(String reason) implements ChannelInput {
    }
}
