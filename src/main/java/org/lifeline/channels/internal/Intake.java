package org.lifeline.channels.internal;


import org.lifeline.privacy.DataProtection;
import org.springframework.stereotype.Component;

/**
 * Where every adapter hands over a raw update: stored durably (idempotently, under the channel's key) before the
 * channel gets its acknowledgement. A sender over the flood limit still has his updates stored, as counted drops
 * that are never processed, so one hostile account cannot starve the queue.
 */
@Component
public class Intake {

    /** Senders tracked for the flood limit; the least recently seen are forgotten first. */
    static final int TRACKED_SENDERS = 100_000;

    private final InboundUpdates updates;
    private final OutboxMessages outbox;
    private final DataProtection protection;
    private final ChannelWorkers workers;
    private final PerMinuteBuckets senders = new PerMinuteBuckets(TRACKED_SENDERS);

    Intake(InboundUpdates updates, OutboxMessages outbox, DataProtection protection, ChannelWorkers workers) {
        this.updates = updates;
        this.outbox = outbox;
        this.protection = protection;
        this.workers = workers;
    }

    public enum Outcome { STORED, DUPLICATE, DROPPED }

    /**
     * @param perSenderPerMinute the flood limit for this channel
     */
    public Outcome accept(String channel, String endpoint, String idempotencyKey, String senderId, String payload,
            int perSenderPerMinute) {
        var senderRef = senderRef(channel, endpoint, senderId);
        var dropped = !senders.of(java.util.HexFormat.of().formatHex(senderRef), perSenderPerMinute).tryConsume(1);
        if (!updates.store(channel, endpoint, idempotencyKey, senderRef, payload, dropped)) {
            return Outcome.DUPLICATE;
        }
        if (dropped) {
            return Outcome.DROPPED;
        }
        workers.wakeInbound();
        return Outcome.STORED;
    }

    /**
     * Whether everything this sender sent has been processed and everything answered has left the outbox: for
     * channels that show the answer on the next page (the web chat), which may wait for it briefly.
     */
    public boolean idle(String channel, String endpoint, String senderId) {
        return !updates.pendingFor(senderRef(channel, endpoint, senderId))
                && !outbox.pendingFor(Outbox.recipientRef(protection, channel, endpoint, senderId));
    }

    private byte[] senderRef(String channel, String endpoint, String senderId) {
        return protection.blindIndex("channel.sender", channel + ":" + endpoint + ":" + senderId);
    }
}
