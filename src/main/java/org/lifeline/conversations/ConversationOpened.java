package org.lifeline.conversations;

/** A new conversation began (an event: ids only, as all events here). */
public record ConversationOpened(ConversationId conversation, ContactId contact) {
}
