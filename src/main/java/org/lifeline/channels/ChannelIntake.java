package org.lifeline.channels;

/**
 * Where every adapter hands over a raw update: stored durably (idempotently, under the channel's key) before the
 * channel gets its acknowledgement, then processed in order per sender. A sender over the flood limit still has his
 * updates stored, as counted drops that are never processed, so one hostile account cannot starve the queue.
 */
public interface ChannelIntake {

    enum Outcome { STORED, DUPLICATE, DROPPED }

    /**
     * @param perSenderPerMinute the flood limit for this channel
     */
    Outcome accept(String channel, String endpoint, String idempotencyKey, String senderId, String payload,
            int perSenderPerMinute);

    /**
     * Whether an update the channel dates {@code sentAtEpochSecond} (its own time of it, seconds since 1970) is too
     * old to be told from a replay of it. An update is recognised as delivered before only while its row is kept
     * (retention {@code inbound-updates} and {@code flood-drops}, counted from its arrival here); one older than that
     * less a day (for the channel's clock and ours to differ) may have been taken and forgotten, and a captured
     * request sent again would be taken as new. The adapter acknowledges such an update and keeps nothing of it.
     */
    boolean tooOld(long sentAtEpochSecond);

    /**
     * Whether everything this sender sent has been processed and everything answered has left the outbox: for
     * channels that show the answer on the next page (the web chat), which may wait for it briefly.
     */
    boolean idle(String channel, String endpoint, String senderId);

    /**
     * Waits until the sender is {@link #idle}, woken when his update or its answer is settled (on any node), or
     * until the timeout; returns whether he is idle.
     */
    boolean awaitIdle(String channel, String endpoint, String senderId, java.time.Duration timeout);

    /**
     * What a start would be answered on this channel, recorded nowhere (see {@link InboundEventHandler#opening}): the
     * start's entry code counts only if it is a running campaign's, and its language as it would for the start.
     */
    java.util.List<OutboundContent> opening(String channel, ChannelInput.Start start);

    /** Drops what this sender sent that was not processed yet, before his data is erased. */
    void discardPending(String channel, String endpoint, String senderId);
}
