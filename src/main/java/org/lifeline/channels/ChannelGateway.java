package org.lifeline.channels;

import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.MessageId;

/**
 * Sends to a requester on the channel of a conversation: records the message on the conversation and queues it in
 * the durable outbox, in the caller's transaction. Nothing leaves before that transaction commits.
 */
public interface ChannelGateway {

    MessageId send(ConversationId conversation, OutboundContent content);
}
