package org.lifeline.conversations;

public enum ConversationStatus {
    /** Served by the automated flow. */
    OPEN,
    /** An operator has taken over. */
    HANDED_OVER,
    CLOSED
}
