package org.lifeline.conversations;

/**
 * An outbound message moved on its way: the channel accepted it ({@link DeliveryState#SENT}), confirmed it
 * ({@link DeliveryState#DELIVERED}) or could not deliver it ({@link DeliveryState#FAILED}; it may be queued again).
 * Ids only, as all events here; the states are categories.
 */
public record OutboundDeliveryChanged(ConversationId conversation, MessageId message, DeliveryState from,
        DeliveryState to) {
}
