package org.lifeline.conversations;

/** A message to the contact is stored, pending delivery. */
public record OutboundMessageRecorded(ConversationId conversation, MessageId message) {
}
