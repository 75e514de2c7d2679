package org.lifeline.channels.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands items to one consumer in groups, so that several share one commit. Adding never waits: an item added while
 * no group is being gathered starts a gatherer on the executor, which waits until the group is full or its first
 * item is {@code linger} old, hands the group over, and goes on with whatever arrived meanwhile. An item added with
 * {@code now} true ends the lingering: its group goes as soon as it can.
 * <p>
 * The consumer handles its own failures: an exception it throws is logged (its class only) and the next group goes on.
 */
final class Gathering<T> {

    private static final Logger log = LoggerFactory.getLogger(Gathering.class);

    private final long lingerNanos;
    private final int most;
    private final Consumer<List<T>> consumer;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the gathered group is full or must go now. */
    private final Condition ready = lock.newCondition();
    /** Signalled when nothing is gathered or handed over any more. */
    private final Condition idle = lock.newCondition();
    private List<T> gathered = new ArrayList<>();
    /** When the first item of the group being gathered arrived. */
    private long firstAt;
    private boolean goNow;
    /** Whether a thread is gathering or handing over a group. */
    private boolean gathering;

    private final Executor executor;

    Gathering(Duration linger, int most, Executor executor, Consumer<List<T>> consumer) {
        if (most < 1) {
            throw new IllegalArgumentException("a group holds at least one item");
        }
        this.lingerNanos = linger.toNanos();
        this.most = most;
        this.consumer = consumer;
        this.executor = executor;
    }

    /** Adds an item, to be handed over within {@code linger} (at once when {@code now}). */
    void add(T item, boolean now) {
        lock.lock();
        try {
            if (gathered.isEmpty()) {
                firstAt = System.nanoTime();
            }
            gathered.add(item);
            goNow |= now;
            if (gathering) {
                if (goNow || gathered.size() >= most) {
                    ready.signal();
                }
                return;
            }
            gathering = true;
        } finally {
            lock.unlock();
        }
        try {
            executor.execute(this::gather);
        } catch (RejectedExecutionException stopping) {
            gather();
        }
    }

    private void gather() {
        var interrupted = false;
        try {
            while (true) {
                List<T> group;
                lock.lock();
                try {
                    if (gathered.isEmpty()) {
                        gathering = false;
                        idle.signalAll();
                        return;
                    }
                    long left;
                    while (!goNow && !interrupted && gathered.size() < most
                            && (left = firstAt + lingerNanos - System.nanoTime()) > 0) {
                        try {
                            ready.awaitNanos(left);
                        } catch (InterruptedException e) {
                            // hands over what it has at once, and tells its caller afterwards
                            interrupted = true;
                        }
                    }
                    if (gathered.size() <= most) {
                        group = gathered;
                        gathered = new ArrayList<>();
                        goNow = false;
                    } else {
                        // the rest goes next, its linger counted from the first of the group (no later)
                        group = new ArrayList<>(gathered.subList(0, most));
                        gathered.subList(0, most).clear();
                    }
                } finally {
                    lock.unlock();
                }
                handOver(group);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handOver(List<T> group) {
        try {
            consumer.accept(group);
        } catch (RuntimeException e) {
            // the class name only: a message may quote what the items hold
            log.warn("Handing over a group of {} failed: {}", group.size(), e.getClass().getSimpleName());
        } catch (Error e) {
            lock.lock();
            try {
                // the items gathered meanwhile go with the next item added
                gathering = false;
                idle.signalAll();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** Ends the lingering: what is gathered goes as soon as it can, without waiting for more. */
    void hurry() {
        lock.lock();
        try {
            if (gathering && !gathered.isEmpty()) {
                goNow = true;
                ready.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the lingering and waits until everything added so far has been handed over, or the timeout passes. */
    boolean flush(Duration timeout) throws InterruptedException {
        var deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (gathering) {
                goNow = true;
                ready.signal();
            }
            while (gathering) {
                var left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
