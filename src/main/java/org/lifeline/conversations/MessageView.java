package org.lifeline.conversations;

import java.time.Instant;

/**
 * @param content what the message carries, by kind; {@code null} when erased (the contact was forgotten)
 * @param deliveryDetail a short code from the channel (why delivery failed, or a note such as a WhatsApp
 *        template sent in its place), never personal text
 */
public record MessageView(MessageId id, ConversationId conversation, Direction direction, String channel,
        MessageContent content, Instant createdAt, DeliveryState delivery, String deliveryDetail,
        String channelMessageId) {

    public boolean erased() {
        return content == null;
    }

    /** The kind, or {@code null} when erased. */
    public MessageKind kind() {
        return content == null ? null : content.kind();
    }

    /** Its text (what was written, a photo's caption); {@code null} when erased or for kinds without text. */
    public String body() {
        return content == null ? null : content.text();
    }
}
