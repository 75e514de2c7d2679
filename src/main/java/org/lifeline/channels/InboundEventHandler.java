package org.lifeline.channels;

/**
 * Drives a conversation when something arrives (the flows module implements it). Called inside the transaction
 * that marks the inbound update processed, one update per sender at a time in arrival order: whatever it sends
 * through {@link ChannelGateway} is committed together with it.
 */
public interface InboundEventHandler {

    void on(InboundEvent event);
}
