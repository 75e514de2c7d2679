package org.lifeline.conversations;

/** A message from the contact is stored and waits to be processed. */
public record InboundMessageRecorded(ConversationId conversation, MessageId message) {
}
