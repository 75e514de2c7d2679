package org.lifeline.conversations;

import java.time.Instant;

/**
 * A contact, without his channel id (see {@link ConversationManagement#externalId}).
 *
 * @param erased whether he was forgotten: his channel id and messages can no longer be read
 */
public record ContactView(ContactId id, String channel, String preferredLanguage, Reachability reachability,
        Instant createdAt, boolean erased) {
}
