package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lifeline.channels.ChannelIntake;
import org.lifeline.privacy.DataProtection;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * While updates arrive, half the inbound workers process and the others wait, so that the intake keeps cores to
 * acknowledge with; while it is quiet, every worker processes. Steps here block on latches, so that "at once" and
 * "waits" are what the steps can observe, not timings.
 */
@Timeout(30)
class IntakeFirstTests {

    static final Duration LONG = Duration.ofSeconds(10);
    /** The configured batch ({@code lifeline.channels.inbound-batch}). */
    static final int BATCH = 64;

    /** A clock that moves only when told. */
    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));

    @Test
    void whileTheIntakeIsQuietEveryWorkerProcessesAtOnce() {
        assertTwoWorkersRunAtOnce(new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get));
    }

    /** Each step returns only once the other is inside too: possible only if both run at once. */
    private static void assertTwoWorkersRunAtOnce(IntakeFirst first) {
        var bothInside = new CyclicBarrier(2);
        IntPredicate step = most -> {
            await(bothInside);
            return true;
        };
        var other = CompletableFuture.supplyAsync(() -> first.run(step));

        assertThat(first.run(step)).isTrue();
        assertThat(other).succeedsWithin(LONG).isEqualTo(true);
    }

    @Test
    void whileUpdatesArriveHalfTheWorkersProcessAndTheOthersLookAgainWithoutProcessing() throws Exception {
        var first = new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get);
        crowd(first);
        var inside = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var seated = CompletableFuture.supplyAsync(() -> first.run(most -> {
            inside.countDown();
            await(release);
            return true;
        }));
        assertThat(inside.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();

        var ran = new AtomicBoolean();
        assertThat(first.run(most -> ran.getAndSet(true))).as("it asks to be run again at once").isTrue();
        assertThat(ran).as("the second worker processed nothing while the first had the seat").isFalse();

        // the intake goes quiet: the second worker processes though the seat is still taken
        uncrowd(first);
        now.addAndGet(IntakeFirst.RECENT_NANOS);
        assertThat(first.run(most -> ran.getAndSet(true))).isFalse();
        assertThat(ran).isTrue();

        release.countDown();
        assertThat(seated).succeedsWithin(LONG).isEqualTo(true);
    }

    @Test
    void whileUpdatesArriveABatchTakesAtMostWhatOneClaimTakesAndTheConfiguredBatchOnceQuiet() {
        var first = new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get);
        var given = new AtomicInteger();
        IntPredicate step = most -> {
            given.set(most);
            return true;
        };

        crowd(first);
        first.run(step);
        assertThat(given).hasValue(IntakeFirst.FLOOD_BATCH).hasValueLessThan(BATCH);

        uncrowd(first);
        now.addAndGet(IntakeFirst.RECENT_NANOS);
        first.run(step);
        assertThat(given).hasValue(BATCH);

    }

    @Test
    void theFloodsBatchIsNeverMoreThanTheConfiguredOneAndOnH2ItIsTheConfiguredOne() {
        assertThat(IntakeFirst.floodBatch(BATCH, false)).isEqualTo(IntakeFirst.FLOOD_BATCH);
        assertThat(IntakeFirst.floodBatch(4, false)).isEqualTo(4);
        assertThat(IntakeFirst.floodBatch(BATCH, true)).isEqualTo(BATCH);
    }

    @Test
    void onPostgresTheSeatRestsTwiceAsLongAsItsStepOnH2ThriceThroughTheJournalAndAsLongWithout() {
        assertThat(IntakeFirst.restRatio(false, true)).isEqualTo(IntakeFirst.FLOOD_REST_RATIO).isEqualTo(2);
        assertThat(IntakeFirst.restRatio(false, false)).isEqualTo(2);
        assertThat(IntakeFirst.restRatio(true, true)).isEqualTo(IntakeFirst.H2_JOURNAL_REST_RATIO).isEqualTo(3);
        assertThat(IntakeFirst.restRatio(true, false)).isEqualTo(1);
    }

    @Test
    void withARestRatioOfTwoTheSeatRestsTwiceAsLongAsItsStepWhileUpdatesArrive() {
        var first = new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 2, now::get);
        crowd(first);
        var resting = restingAfterAnHoursStep(first);
        // past what a rest as long as the step would take: the seat is still held
        now.addAndGet(TimeUnit.HOURS.toNanos(1) + 1);
        assertTheSeatRests(first, resting);

        // twice the step: the rest ends though the intake is still busy
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertThat(resting).succeedsWithin(LONG).isEqualTo(true);
        assertThat(first.busy()).isTrue();
    }

    @Test
    void oneRequestAtATimeHoldsNoProcessingBack() throws Exception {
        var first = new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get);
        first.began();
        assertThat(first.busy()).as("a trickle, or one client writing in a loop").isFalse();
        assertTwoWorkersRunAtOnce(first);
        first.began();
        assertThat(first.busy()).isTrue();
        first.ended();
        assertThat(first.busy()).as("crowded a moment ago").isTrue();
        now.addAndGet(IntakeFirst.RECENT_NANOS);
        assertThat(first.busy()).isFalse();
    }

    @Test
    void requestsThatEndedAMomentAgoStillCountAsIntakeUnderWay() {
        var first = new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get);
        assertThat(first.busy()).isFalse();

        crowd(first);
        now.addAndGet(10 * IntakeFirst.RECENT_NANOS);
        assertThat(first.busy()).as("requests being stored, however long they take").isTrue();
        uncrowd(first);
        now.addAndGet(IntakeFirst.RECENT_NANOS - 1);
        assertThat(first.busy()).as("the next request of a flood is coming").isTrue();
        now.addAndGet(1);
        assertThat(first.busy()).isFalse();
    }

    @Test
    void afterAStepWhileUpdatesArriveTheSeatRestsAsLongAgainAndNoLongerOnceTheIntakeIsQuiet() {
        // a step that takes an hour of this clock: resting as long again would outlast the test's timeout
        var first = new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get);
        crowd(first);
        var resting = restingAfterAnHoursStep(first);
        assertTheSeatRests(first, resting);

        uncrowd(first);
        now.addAndGet(IntakeFirst.RECENT_NANOS);
        assertThat(resting).succeedsWithin(LONG).isEqualTo(true);
    }

    /**
     * A worker's step on {@code first}'s seat that takes an hour of this clock, returned once the worker rests after
     * it (or is done): the rest's length is read from the clock after the step, so the caller may move the clock only
     * then.
     */
    private CompletableFuture<Boolean> restingAfterAnHoursStep(IntakeFirst first) {
        var stepDone = new CountDownLatch(1);
        var worker = new AtomicReference<Thread>();
        var resting = CompletableFuture.supplyAsync(() -> first.run(most -> {
            now.addAndGet(TimeUnit.HOURS.toNanos(1));
            worker.set(Thread.currentThread());
            stepDone.countDown();
            return true;
        }));
        await(stepDone);
        Awaitility.await().atMost(LONG)
                .until(() -> resting.isDone() || worker.get().getState() == Thread.State.TIMED_WAITING);
        return resting;
    }

    /** The seat is held after the step: the other worker, looking for it three times, does not get it. */
    private static void assertTheSeatRests(IntakeFirst first, CompletableFuture<Boolean> resting) {
        var ran = new AtomicBoolean();
        var looks = 0;
        while (!resting.isDone() && ++looks < 3) {
            assertThat(first.run(most -> ran.getAndSet(true))).isTrue();
        }
        assertThat(ran).as("nothing processed by the other worker while the seat rests").isFalse();
        assertThat(resting).as("still resting: the intake is busy").isNotDone();
    }

    @Test
    void aStepWhileTheIntakeIsQuietIsFollowedByNoRest() {
        var first = new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get);
        // an hour's step: a rest after it would outlast the timeout
        assertThat(first.run(most -> {
            now.addAndGet(TimeUnit.HOURS.toNanos(1));
            return true;
        })).isTrue();
    }

    @Test
    void oneWorkerOrTheSettingOffNeverWait() {
        for (var first : new IntakeFirst[] {new IntakeFirst(false, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get), new IntakeFirst(true, 1, BATCH, IntakeFirst.FLOOD_BATCH, 1, now::get)}) {
            crowd(first);
            assertTwoWorkersRunAtOnce(first);
        }
    }

    @Test
    void theIntakeCountsARequestWhileItIsStoredAndNoLongerAfterwardsWhateverItMet() {
        var first = new IntakeFirst(true, 2, BATCH, IntakeFirst.FLOOD_BATCH, 1, System::nanoTime);
        var updates = mock(InboundUpdates.class);
        var protection = mock(DataProtection.class);
        when(protection.blindIndex(anyString(), anyString())).thenReturn(new byte[] {1, 2, 3});
        var inFlightWhileStored = new AtomicInteger(-1);
        when(updates.store(anyString(), anyString(), anyString(), any(), anyString(), anyBoolean()))
                .thenAnswer(call -> {
                    inFlightWhileStored.set(first.inFlight());
                    return true;
                })
                .thenThrow(new DataAccessResourceFailureException("database away"));
        var retention = mock(org.lifeline.privacy.Retention.class);
        when(retention.period(anyString())).thenReturn(java.time.Duration.ofDays(7));
        var intake = new Intake(updates, mock(OutboxMessages.class), protection, mock(ChannelWorkers.class),
                mock(SenderWaits.class), first, null, retention, java.time.Clock.systemUTC());

        assertThat(intake.accept("telegram", "bot", "1", "42", "{}", 100)).isEqualTo(ChannelIntake.Outcome.STORED);
        assertThat(inFlightWhileStored).hasValue(1);
        assertThat(first.inFlight()).isZero();

        assertThatThrownBy(() -> intake.accept("telegram", "bot", "2", "42", "{}", 100))
                .isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(first.inFlight()).as("a failed store must not leave processing halved for good").isZero();
    }

    /** Two requests being stored at once: the intake is busy. */
    private static void crowd(IntakeFirst first) {
        first.began();
        first.began();
    }

    private static void uncrowd(IntakeFirst first) {
        first.ended();
        first.ended();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the other step never came in at the same time", e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(LONG.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
