package org.lifeline.channels.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.lifeline.channels.ChannelIntake;
import org.lifeline.platform.PerMinuteBuckets;
import org.lifeline.privacy.DataProtection;
import org.lifeline.privacy.Retention;
import org.springframework.stereotype.Component;

/** The {@link ChannelIntake} of this node: raw updates into the inbound store, under a flood limit per sender. */
@Component
class Intake implements ChannelIntake {

    /** Senders tracked for the flood limit; the least recently seen are forgotten first. */
    static final int TRACKED_SENDERS = 100_000;
    /** How far a channel's clock and ours may be apart, taken off the time an update is remembered. */
    static final Duration CLOCKS_APART = Duration.ofDays(1);
    /**
     * How old an update may rightly be on arrival, at the least: Telegram keeps one it could not deliver for 24
     * hours; a day more for the clocks. Meta retries a delivery for up to 7 days: those past the limit are lost.
     */
    static final Duration LATE_DELIVERY = Duration.ofDays(2);

    private final InboundUpdates updates;
    private final OutboxMessages outbox;
    private final DataProtection protection;
    private final ChannelWorkers workers;
    private final SenderWaits waits;
    private final IntakeFirst intakeFirst;
    private final InboundProcessor processor;
    private final PerMinuteBuckets senders = new PerMinuteBuckets(TRACKED_SENDERS);
    private final Clock clock;
    /** The oldest, by its own time, an update is taken: its duplicate is still remembered, with a day to spare. */
    private final Duration oldestTaken;
    /**
     * One sender's updates are stored one at a time on this node. An update takes its place in the sender's queue
     * (its id) when it is inserted but becomes visible when it commits; two updates of one chat stored at once could
     * commit in the other order, and a worker would process the later one first. Serialising the insert and its
     * commit per sender (by stripe) makes the id order the commit order. Across nodes, one chat's concurrent updates
     * arriving at two nodes at the same instant remain unordered by this; a channel delivers a chat's updates to one
     * webhook connection at a time in practice.
     */
    private final ReentrantLock[] senderStripes = new ReentrantLock[64];

    Intake(InboundUpdates updates, OutboxMessages outbox, DataProtection protection, ChannelWorkers workers,
            SenderWaits waits, IntakeFirst intakeFirst, InboundProcessor processor, Retention retention, Clock clock) {
        this.updates = updates;
        this.clock = clock;
        var handled = retention.period(ChannelRetention.INBOUND_UPDATES);
        var dropped = retention.period(ChannelRetention.FLOOD_DROPS);
        this.oldestTaken = (handled.compareTo(dropped) < 0 ? handled : dropped).minus(CLOCKS_APART);
        if (oldestTaken.compareTo(LATE_DELIVERY) < 0) {
            throw new IllegalArgumentException("lifeline.retention.periods." + ChannelRetention.INBOUND_UPDATES
                    + " and ." + ChannelRetention.FLOOD_DROPS + " are at least "
                    + LATE_DELIVERY.plus(CLOCKS_APART).toDays() + "d: an update is told from a replay of it only while"
                    + " its row is kept, and one up to " + LATE_DELIVERY.toDays() + " days old must still be taken");
        }
        this.processor = processor;
        this.intakeFirst = intakeFirst;
        this.outbox = outbox;
        this.protection = protection;
        this.workers = workers;
        this.waits = waits;
        for (int i = 0; i < senderStripes.length; i++) {
            senderStripes[i] = new ReentrantLock();
        }
    }

    @Override
    public List<org.lifeline.channels.OutboundContent> opening(String channel,
            org.lifeline.channels.ChannelInput.Start start) {
        return processor.opening(start);
    }

    @Override
    public Outcome accept(String channel, String endpoint, String idempotencyKey, String senderId, String payload,
            int perSenderPerMinute) {
        intakeFirst.began();
        try {
            return store(channel, endpoint, idempotencyKey, senderId, payload, perSenderPerMinute);
        } finally {
            intakeFirst.ended();
        }
    }

    private Outcome store(String channel, String endpoint, String idempotencyKey, String senderId, String payload,
            int perSenderPerMinute) {
        var senderRef = senderRef(channel, endpoint, senderId);
        var allowance = senders.of(java.util.HexFormat.of().formatHex(senderRef), perSenderPerMinute);
        var dropped = !allowance.tryConsume(1);
        var stripe = senderStripes[Math.floorMod(Arrays.hashCode(senderRef), senderStripes.length)];
        var stored = false;
        stripe.lock();
        try {
            stored = updates.store(channel, endpoint, idempotencyKey, senderRef, payload, dropped);
        } finally {
            stripe.unlock();
            if (!stored && !dropped) {
                // a redelivery, or a store that failed (the channel delivers again): neither is a new message, and
                // neither may spend his allowance, or an outage that makes the channel redeliver would drop his
                // next real messages
                allowance.addTokens(1);
            }
        }
        if (!stored) {
            return Outcome.DUPLICATE;
        }
        if (dropped) {
            return Outcome.DROPPED;
        }
        workers.wakeInbound();
        return Outcome.STORED;
    }

    @Override
    public boolean tooOld(long sentAtEpochSecond) {
        return sentAtEpochSecond < clock.instant().minus(oldestTaken).getEpochSecond();
    }

    @Override
    public boolean idle(String channel, String endpoint, String senderId) {
        var refs = refs(channel, endpoint, senderId);
        return idle(refs.getFirst(), refs.getLast());
    }

    private boolean idle(byte[] senderRef, byte[] recipientRef) {
        return !updates.pendingFor(senderRef) && !outbox.pendingFor(recipientRef);
    }

    @Override
    public boolean awaitIdle(String channel, String endpoint, String senderId, Duration timeout) {
        var refs = refs(channel, endpoint, senderId);
        return waits.await(refs, () -> idle(refs.getFirst(), refs.getLast()), timeout);
    }

    /** The sender's reference among inbound updates, then among outbox messages. */
    List<byte[]> refs(String channel, String endpoint, String senderId) {
        return List.of(senderRef(channel, endpoint, senderId), Outbox.recipientRef(protection, channel, endpoint, senderId));
    }

    @Override
    public void discardPending(String channel, String endpoint, String senderId) {
        updates.discardPending(senderRef(channel, endpoint, senderId));
    }

    private byte[] senderRef(String channel, String endpoint, String senderId) {
        return protection.blindIndex("channel.sender", channel + ":" + endpoint + ":" + senderId);
    }
}
