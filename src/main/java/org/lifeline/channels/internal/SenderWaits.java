package org.lifeline.channels.internal;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.lifeline.platform.ClusterSignals;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Waits for a sender's updates and answers to be settled, woken when they are rather than asking the database over
 * and over. The inbound processor and the dispatcher call {@link #settled} once what they did for a sender has
 * committed; the waiters for that sender look again. A waiter on another node hears of it through
 * {@link ClusterSignals} (for the channels whose senders wait, {@link org.lifeline.channels.ChannelAdapter#sendersWait()}),
 * and every waiter also looks again every {@link #RECHECK}, so a signal missed only delays.
 */
@Component
class SenderWaits {

    static final String SIGNAL = "channel_sender_settled";
    static final Duration RECHECK = Duration.ofSeconds(1);

    /** Waiters by the hex of a sender's or recipient's reference. */
    private final Map<String, Set<Semaphore>> waiters = new ConcurrentHashMap<>();
    private final ClusterSignals signals;
    private final Adapters adapters;

    @Autowired
    SenderWaits(ClusterSignals signals, Adapters adapters) {
        this.signals = signals;
        this.adapters = adapters;
        signals.subscribe(SIGNAL, this::wakeAll);
    }

    /** This node's waiters only: for tests. */
    SenderWaits() {
        this.signals = null;
        this.adapters = null;
    }

    /** Waits until {@code settled} holds, looking again at every signal for one of the refs; false at the deadline. */
    boolean await(List<byte[]> refs, BooleanSupplier settled, Duration timeout) {
        return await(refs, settled, timeout, RECHECK);
    }

    boolean await(List<byte[]> refs, BooleanSupplier settled, Duration timeout, Duration recheck) {
        var waiter = new Semaphore(0);
        var keys = refs.stream().map(HexFormat.of()::formatHex).toList();
        // registered before the first look, so that nothing settled after it goes unheard
        keys.forEach(key -> waiters.compute(key, (k, set) -> {
            var all = set == null ? ConcurrentHashMap.<Semaphore>newKeySet() : set;
            all.add(waiter);
            return all;
        }));
        try {
            var deadline = System.nanoTime() + timeout.toNanos();
            while (!settled.getAsBoolean()) {
                var left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                waiter.tryAcquire(Math.min(left, recheck.toNanos()), TimeUnit.NANOSECONDS);
                waiter.drainPermits();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            keys.forEach(key -> waiters.computeIfPresent(key, (k, set) -> {
                set.remove(waiter);
                return set.isEmpty() ? null : set;
            }));
        }
    }

    /**
     * What this node did for the sender (or recipient) has committed: his waiters look again. Call it after the
     * commit, never inside the transaction: a waiter woken before it would find the work still pending.
     */
    void settled(String channel, byte[] ref) {
        var here = waiters.get(HexFormat.of().formatHex(ref));
        if (here != null) {
            here.forEach(Semaphore::release);
        }
        if (signals != null && signals.betweenNodes() && adapters.get(channel).sendersWait()) {
            try {
                // a signal carries nothing: every node's waiters look again
                signals.signal(SIGNAL);
            } catch (RuntimeException e) {
                // what was settled is committed: the other nodes' waiters find it at their next look
            }
        }
    }

    private void wakeAll() {
        waiters.values().forEach(set -> set.forEach(Semaphore::release));
    }
}
