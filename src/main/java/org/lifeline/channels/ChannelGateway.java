package org.lifeline.channels;

import java.util.List;

import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.MessageId;

/**
 * Sends to a requester on the channel of a conversation: records the message on the conversation and queues it in
 * the durable outbox, in the caller's transaction. Nothing leaves before that transaction commits. A text longer than
 * the channel takes ({@link ChannelAdapter#parts}) goes as several messages, each recorded, in order, any buttons
 * under the last.
 */
public interface ChannelGateway {

    /** Sends one message; the id of its first part, if it had to be split. */
    default MessageId send(ConversationId conversation, OutboundContent content) {
        return send(conversation, List.of(content)).getFirst();
    }

    /**
     * Sends several messages in this order (a flow step's outputs), looking up the channel route, the conversation
     * and the requester's address once for all of them.
     */
    List<MessageId> send(ConversationId conversation, List<OutboundContent> contents);
}
