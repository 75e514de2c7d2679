package org.lifeline.conversations;

import java.time.Instant;

/**
 * @param body the text; {@code null} when erased (the contact was forgotten)
 * @param deliveryDetail a short code from the channel when delivery failed, never personal text
 */
public record MessageView(MessageId id, ConversationId conversation, Direction direction, String channel,
        String body, Instant createdAt, DeliveryState delivery, String deliveryDetail, String channelMessageId) {

    public boolean erased() {
        return body == null;
    }
}
