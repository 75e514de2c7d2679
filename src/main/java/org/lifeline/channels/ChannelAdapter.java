package org.lifeline.channels;

/**
 * One channel (Telegram, web chat, WhatsApp, …). Adding a channel is one adapter, its web endpoint, and
 * configuration; storage, ordering, the outbox and its retries are shared.
 */
public interface ChannelAdapter {

    /** Short stable code stored with every message: {@code telegram}, {@code webchat}, … */
    String type();

    /** The configured endpoints of this channel (bot usernames, phone numbers, …). */
    java.util.List<String> endpoints();

    /** Reads one stored raw update. Never throws for well-formed JSON of an unknown shape: returns {@link ChannelInput.Ignored}. */
    ChannelInput interpret(String endpoint, String payload);

    /**
     * Whether a sender waits on the spot for what his update brings (the web chat's post returns with the answer), so
     * that every node hears when his update or its answer is settled.
     */
    default boolean sendersWait() {
        return false;
    }

    /** Called once after an update has been processed (e.g. to stop a button's spinner); best effort. */
    default void acknowledge(String endpoint, String payload) {
    }

    /**
     * The most characters one message's text may have on this channel: what is longer is queued as several messages
     * (see {@link ChannelGateway} and {@link #parts}), so that the channel does not refuse it.
     */
    default int maxTextLength() {
        return Integer.MAX_VALUE;
    }

    /**
     * The messages one content goes as on this channel, in order, each rendered within what the channel takes. By
     * default its text split by {@link #maxTextLength()} ({@link MessageParts}); a channel whose rendering adds to the
     * text (numbered options, instructions) counts what it adds, so that nothing is cut when sent.
     */
    default java.util.List<OutboundContent> parts(String endpoint, String recipient, OutboundContent content) {
        return MessageParts.split(content, maxTextLength());
    }

    /** Renders content as this channel's request for the recipient. */
    String render(String endpoint, String recipient, OutboundContent content);

    /** Sends one rendered request. Must not throw for channel errors: they become a {@link DeliveryResult}. */
    DeliveryResult deliver(String endpoint, String recipient, String rendered);

    /**
     * Fetches a file the requester sent, by the reference from {@link ChannelInput.Photo}.
     *
     * @throws java.io.IOException when the channel cannot deliver it now (retried later)
     */
    default Fetched fetch(String endpoint, String reference) throws java.io.IOException {
        throw new java.io.IOException("channel keeps no files");
    }

    /**
     * Called once a fetched file is stored encrypted on its message: a channel that keeps its own copy (a
     * provider's call recordings) deletes it now. Best effort.
     *
     * @throws java.io.IOException when the channel could not delete it now (tried again later)
     */
    default void fetched(String endpoint, String reference) throws java.io.IOException {
    }

    /** A fetched file. */
    record Fetched(String mediaType, byte[] content) {
    }

    /** Outbound limits for an endpoint. */
    default RateLimits limits(String endpoint) {
        return RateLimits.UNLIMITED;
    }

    /** Messages per second per recipient and per endpoint. */
    record RateLimits(double perRecipientPerSecond, double perEndpointPerSecond) {
        public static final RateLimits UNLIMITED = new RateLimits(1000, 1000);
    }
}
