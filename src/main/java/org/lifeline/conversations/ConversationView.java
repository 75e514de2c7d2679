package org.lifeline.conversations;

import java.time.Instant;

/** @param entryCode the campaign or deep-link payload he arrived with; {@code null} if none or erased */
public record ConversationView(ConversationId id, ContactId contact, String channel, ConversationStatus status,
        String language, String entryCode, Instant openedAt, Instant lastActivityAt) {
}
