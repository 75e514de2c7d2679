package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A waiting post looks again when told that its sender's work settled, not on a timer: with a re-check an hour apart,
 * only the signal can end the wait, and the looks are counted.
 */
class SenderWaitsTests {

    static final Duration HOUR = Duration.ofHours(1);
    /** Longer than any test, short enough that a wait a failed test left behind ends. */
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final byte[] SENDER = {1, 2, 3};
    static final byte[] RECIPIENT = {4, 5, 6};

    private final SenderWaits waits = new SenderWaits();
    private final AtomicInteger looks = new AtomicInteger();
    private final AtomicBoolean idle = new AtomicBoolean();

    @Test
    void aSignalForTheSenderEndsTheWaitWithOneMoreLook() {
        var waiting = waiting(List.of(SENDER, RECIPIENT), HOUR);
        await().atMost(5, TimeUnit.SECONDS).until(() -> looks.get() == 1);

        idle.set(true);
        waits.settled("webchat", RECIPIENT);

        assertThat(waiting).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
        assertThat(looks).hasValue(2);
    }

    @Test
    void aSignalForAnotherSenderDoesNotWakeTheWait() {
        var waiting = waiting(List.of(SENDER), HOUR);
        await().atMost(5, TimeUnit.SECONDS).until(() -> looks.get() == 1);

        waits.settled("webchat", RECIPIENT);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> looks.get() == 1);
        waits.settled("webchat", SENDER);
        await().atMost(5, TimeUnit.SECONDS).until(() -> looks.get() == 2);
        idle.set(true);
        waits.settled("webchat", SENDER);
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
    }

    @Test
    void aMissedSignalOnlyDelaysUntilTheNextLook() {
        var waiting = waiting(List.of(SENDER), Duration.ofMillis(100));
        await().atMost(5, TimeUnit.SECONDS).until(() -> looks.get() >= 1);

        idle.set(true);

        assertThat(waiting).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
    }

    @Test
    void givesUpAtTheDeadlineWithoutLookingOverAndOver() {
        var begun = System.nanoTime();
        var idleInTime = waits.await(List.of(SENDER), this::look, Duration.ofMillis(300), HOUR);

        assertThat(idleInTime).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - begun)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(looks).as("one look at the start, one at the deadline").hasValue(2);
    }

    /** A wait on a thread of its own (the common pool may have a single one). */
    private CompletableFuture<Boolean> waiting(List<byte[]> refs, Duration recheck) {
        var future = new CompletableFuture<Boolean>();
        Thread.ofPlatform().daemon().start(() -> future.complete(waits.await(refs, this::look, DEADLINE, recheck)));
        return future;
    }

    private boolean look() {
        looks.incrementAndGet();
        return idle.get();
    }
}
