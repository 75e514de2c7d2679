package org.lifeline.conversations;

import java.time.Instant;
import java.util.UUID;

/**
 * @param entryCode the campaign or deep-link payload he arrived with; {@code null} if none or erased
 * @param campaign the id of the campaign he started it through (see the {@code campaigns} module); {@code null} if none
 */
public record ConversationView(ConversationId id, ContactId contact, String channel, ConversationStatus status,
        String language, String entryCode, UUID campaign, Instant openedAt, Instant lastActivityAt) {
}
