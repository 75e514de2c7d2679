package org.lifeline.channels;

import java.time.Duration;

/** What happened when an adapter tried to deliver one outbound message. */
public sealed interface DeliveryResult {

    record Sent(String channelMessageId) implements DeliveryResult {
    }

    /**
     * Not delivered now, try again later: rate limited ({@code retryAfter} from the channel) or a temporary fault.
     * {@code wholeEndpoint} pauses every recipient of the bot, not only this one.
     */
    record RetryLater(Duration retryAfter, boolean wholeEndpoint, String code) implements DeliveryResult {
    }

    /**
     * The request may have reached the channel, but its answer never came (a timeout or a connection lost after
     * sending, a node stopping mid-call). Channels such as Telegram have no idempotency key, so sending again could
     * repeat the message: it is failed as "uncertain" on the conversation, for an operator to look at.
     */
    record Uncertain(String code) implements DeliveryResult {
    }

    /** Will never be delivered: shown on the conversation. {@code recipientGone}: blocked the bot or deleted. */
    record Failed(String code, boolean recipientGone) implements DeliveryResult {
    }
}
