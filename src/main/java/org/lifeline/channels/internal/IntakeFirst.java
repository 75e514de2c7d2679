package org.lifeline.channels.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Taking updates in comes before processing them. While updates are arriving (several requests of the channels are
 * being stored at once, or were a moment ago), at most half of this node's inbound workers (at least one) process at
 * once, and each rests after a batch while the flood lasts (on PostgreSQL twice as long as the batch took, on H2
 * three times through the intake journal, as long without it: {@link #restRatio(boolean, boolean)}); the other workers wait
 * until the intake is quiet. The cores then go to acknowledging what arrives (a channel that waits long for its
 * acknowledgement delivers everything later, a web chat's writer waits on it), and the backlog is processed at full
 * pace once the flood ebbs. What this costs: processing slows during a flood that takes the whole machine (on 2 cores
 * from 292 to 29–35 a second on PostgreSQL; without this the operating system already gave most of the cores to the
 * request threads, which outnumber the workers), about what a bot's answers can be sent at (30 a second).
 */
@Component
class IntakeFirst {

    /**
     * Requests being stored at once from which the intake counts as busy: one at a time is a trickle that leaves the
     * machine idle (and one client writing in a loop, an abuser's too, holds no processing back); two or more wait
     * on each other for the cores or the commit.
     */
    static final int CROWDED = 2;
    /** The intake counts as busy this long after it last was (the next requests of a flood are coming). */
    static final long RECENT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long a waiting worker waits for a seat before it looks again whether the intake is still busy. */
    static final long LOOK_AGAIN_MILLIS = 20;
    /** How often a resting worker looks whether the intake became quiet. */
    static final long REST_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * The most updates a seated worker takes in one batch while the intake is busy, on PostgreSQL (those one claim
     * statement takes, {@link InboundProcessor#CLAIM_AHEAD}): shorter turns at the cores and the commit, with rests as
     * short, so that a request waits less behind one. On 2 cores, against batches of 64, the webhook's p99 was 22.5
     * and 24.2 ms against 30.0 and 24.6 in alternated runs. Not on H2, where every commit writes each page it changed
     * to the file (megabytes a batch): there smaller batches meant more of those writes, and both the intake and
     * processing slowed (the webhook 1,989 against 2,303 a second, p99 38 against 31 ms); measured again without H2's
     * own assertions, batches of 16 did no better than 64 (1,568 and 1,297 against 1,456 and 1,639 a second).
     */
    static final int FLOOD_BATCH = InboundProcessor.CLAIM_AHEAD;
    /**
     * How many times as long as its step a seated worker rests while the intake is busy, on PostgreSQL: processing
     * takes a third of the seat's time. On 2 cores, alternated against resting as long (a half): the webhook 81% of
     * the bare durable endpoint with a p99 of 23.1 and 25.1 ms, against 71–72% and 26.9–29.9 ms; processed during the
     * flood 29–35 a second against 48–52, about what a bot may send (30).
     */
    static final int FLOOD_REST_RATIO = 2;
    /**
     * The rest ratio on H2 when the webhooks' updates go through the {@link IntakeJournal}: processing takes a quarter
     * of the seat's time. There processing's commits no longer write the intake's store, and a longer rest gave the
     * intake the cores: on 2 cores, alternated against resting as long, the webhook ran at 2,873 and 2,949 a second
     * (69% and 58% of the bare durable endpoint, p99 22.4 and 20.8 ms) against 2,524 and 1,793 (54% and 46%, p99 26.0
     * and 32.9 ms), processing 82–106 a second during the flood against 128–171.
     */
    static final int H2_JOURNAL_REST_RATIO = 3;

    private final boolean enabled;
    /** The most updates a batch takes while the intake is quiet, and while it is busy. */
    private final int batch;
    private final int floodBatch;
    private final int restRatio;
    private final LongSupplier nanoTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastCrowded;
    /** The workers that may process while the intake is busy. */
    private final Semaphore seats;

    @Autowired
    IntakeFirst(ChannelsSettings settings, org.springframework.core.env.Environment environment) {
        this(settings, org.lifeline.platform.Databases.onH2(environment));
    }

    private IntakeFirst(ChannelsSettings settings, boolean onH2) {
        this(settings.intakeFirst(), settings.inboundWorkers(), settings.inboundBatch(),
                floodBatch(settings.inboundBatch(), onH2), restRatio(onH2, settings.intakeJournal()), System::nanoTime);
    }

    /** {@link #FLOOD_BATCH}, never more than the configured batch; on H2 the configured batch. */
    static int floodBatch(int batch, boolean onH2) {
        return onH2 ? batch : Math.min(batch, FLOOD_BATCH);
    }

    /**
     * {@link #FLOOD_REST_RATIO} on PostgreSQL; on H2 through the journal {@link #H2_JOURNAL_REST_RATIO}; on H2 without
     * it 1, resting as long as the step: there each intake commit wrote processing's pages too, and halving processing
     * during the flood (81 against 158 a second) left the webhook where it was (1,794 against 1,806 a second), and so
     * did a rest three times as long without H2's own assertions (1,600 and 1,768 against 1,852).
     */
    static int restRatio(boolean onH2, boolean journal) {
        return !onH2 ? FLOOD_REST_RATIO : journal ? H2_JOURNAL_REST_RATIO : 1;
    }

    IntakeFirst(boolean enabled, int workers, int batch, int floodBatch, int restRatio, LongSupplier nanoTime) {
        this.enabled = enabled && workers > 1;
        this.batch = batch;
        this.floodBatch = floodBatch;
        this.restRatio = restRatio;
        this.nanoTime = nanoTime;
        this.seats = new Semaphore(Math.max(1, workers / 2));
        this.lastCrowded = nanoTime.getAsLong() - 2 * RECENT_NANOS;
    }

    /** A request of a channel begins to be stored; {@link #ended()} must follow, whatever happens. */
    void began() {
        if (inFlight.incrementAndGet() >= CROWDED) {
            lastCrowded = nanoTime.getAsLong();
        }
    }

    void ended() {
        if (inFlight.getAndDecrement() >= CROWDED) {
            lastCrowded = nanoTime.getAsLong();
        }
    }

    /** Whether updates are being taken in now, several at once, or were a moment ago. */
    boolean busy() {
        return inFlight.get() >= CROWDED || nanoTime.getAsLong() - lastCrowded < RECENT_NANOS;
    }

    /**
     * Runs a worker's step, given the most updates it may take in a batch: at once and the configured batch while
     * the intake is quiet; on one of the seats and at most {@link #floodBatch()} while it is busy. A worker
     * that finds no seat free within {@link #LOOK_AGAIN_MILLIS} runs nothing and returns true, so that its loop
     * asks again at once (the intake may be quiet by then). After a step on a seat, the seat stays taken for the
     * step's time times the rest ratio while the intake stays busy: while updates arrive, processing takes a third
     * (PostgreSQL) or a half (H2) of the seated workers' time, and one core is never taken from the intake by
     * processing alone (on 2 cores with PostgreSQL beside the node, a seat without the rest left the webhook's p99 at
     * 28 ms, with a rest as long 23 ms).
     */
    boolean run(IntPredicate step) {
        if (!enabled || !busy()) {
            return step.test(batch);
        }
        try {
            if (!seats.tryAcquire(LOOK_AGAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            var from = nanoTime.getAsLong();
            var result = step.test(floodBatch);
            rest(restRatio * (nanoTime.getAsLong() - from));
            return result;
        } finally {
            seats.release();
        }
    }

    /** Waits up to {@code nanos} while the intake is busy. */
    private void rest(long nanos) {
        var until = nanoTime.getAsLong() + nanos;
        long left;
        while (busy() && (left = until - nanoTime.getAsLong()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(Math.min(left, REST_STEP_NANOS));
        }
    }

    /** The most updates a batch takes while the intake is busy: {@link #FLOOD_BATCH}, or on H2 the configured batch. */
    int floodBatch() {
        return floodBatch;
    }

    /** How many times as long as its step a seated worker rests while the intake is busy. */
    int restRatio() {
        return restRatio;
    }

    /** Requests being stored now (for tests: it must come back to 0 whatever a request met). */
    int inFlight() {
        return inFlight.get();
    }
}
