package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Items added within a moment of each other are handed over together; adding never waits. The waits here are on
 * the groups handed over (a queue, latches), never on timings, except where the linger itself is the subject.
 */
@Timeout(30)
class GatheringTests {

    static final Duration HOUR = Duration.ofHours(1);

    private final java.util.concurrent.ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final LinkedBlockingQueue<List<String>> handedOver = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private List<String> nextGroup() throws InterruptedException {
        var group = handedOver.poll(10, TimeUnit.SECONDS);
        assertThat(group).as("a group handed over").isNotNull();
        return group;
    }

    @Test
    void aFullGroupGoesWithoutWaitingForTheLinger() throws Exception {
        var gathering = new Gathering<String>(HOUR, 3, executor, handedOver::add);

        gathering.add("a", false);
        gathering.add("b", false);
        gathering.add("c", false);

        assertThat(nextGroup()).containsExactly("a", "b", "c");
    }

    @Test
    void aLoneItemGoesOnceItIsLingerOld() throws Exception {
        var linger = Duration.ofMillis(50);
        var gathering = new Gathering<String>(linger, 10, executor, handedOver::add);
        var from = System.nanoTime();

        gathering.add("a", false);

        assertThat(nextGroup()).containsExactly("a");
        assertThat(System.nanoTime() - from).as("waited for others as long as the linger")
                .isGreaterThanOrEqualTo(linger.toNanos());
    }

    @Test
    void anItemThatMustGoNowTakesTheOthersGatheredWithItAtOnce() throws Exception {
        var gathering = new Gathering<String>(HOUR, 10, executor, handedOver::add);

        gathering.add("a", false);
        gathering.add("b", true);

        assertThat(nextGroup()).containsExactly("a", "b");
    }

    @Test
    void hurryingSendsWhatIsGatheredWithoutWaitingForMore() throws Exception {
        var gathering = new Gathering<String>(HOUR, 10, executor, handedOver::add);
        gathering.hurry();
        gathering.add("a", false);
        gathering.add("b", false);

        gathering.hurry();

        assertThat(nextGroup()).containsExactly("a", "b");
    }

    @Test
    void addingNeverWaitsAndWhatIsAddedDuringAHandOverGoesInTheNextGroup() throws Exception {
        var inside = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Consumer<List<String>> slow = group -> {
            inside.countDown();
            await(release);
            handedOver.add(group);
        };
        var gathering = new Gathering<String>(HOUR, 2, executor, slow);

        gathering.add("a", false);
        gathering.add("b", false);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        // the first group is being handed over and holds: these return at once all the same (the test would hang)
        gathering.add("c", false);
        gathering.add("d", false);
        gathering.add("e", false);
        release.countDown();

        assertThat(nextGroup()).containsExactly("a", "b");
        // a group holds at most two; what arrived meanwhile goes in order, none left behind
        assertThat(nextGroup()).containsExactly("c", "d");
        gathering.add("f", true);
        assertThat(nextGroup()).containsExactly("e", "f");
    }

    @Test
    void flushEndsTheLingerAndReturnsOnceEverythingIsHandedOver() throws Exception {
        var gathering = new Gathering<String>(HOUR, 10, executor, handedOver::add);
        gathering.add("a", false);
        gathering.add("b", false);

        assertThat(gathering.flush(Duration.ofSeconds(10))).isTrue();

        // already there: flush returned after the hand-over, not before
        assertThat(handedOver.poll()).containsExactly("a", "b");
        assertThat(gathering.flush(Duration.ZERO)).as("nothing gathered: at once").isTrue();
    }

    @Test
    void flushGivesUpAtItsTimeoutWhileAHandOverHolds() throws Exception {
        var inside = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var gathering = new Gathering<String>(HOUR, 10, executor, group -> {
            inside.countDown();
            await(release);
            handedOver.add(group);
        });
        gathering.add("a", true);
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(gathering.flush(Duration.ofMillis(20))).isFalse();

        release.countDown();
        assertThat(gathering.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(handedOver.poll()).containsExactly("a");
    }

    @Test
    void aGroupThatFailsHoldsBackNoLaterOne() throws Exception {
        var gathering = new Gathering<String>(HOUR, 1, executor, group -> {
            if (group.contains("bad")) {
                throw new IllegalStateException("failed");
            }
            handedOver.add(group);
        });

        gathering.add("bad", false);
        gathering.add("good", false);

        assertThat(nextGroup()).containsExactly("good");
        assertThat(gathering.flush(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void whenTheExecutorTakesNoMoreTheAddingThreadHandsOverItself() throws Exception {
        Executor stopped = task -> {
            throw new RejectedExecutionException("stopped");
        };
        var caller = Thread.currentThread();
        var gathering = new Gathering<String>(HOUR, 10, stopped, group -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            handedOver.add(group);
        });

        gathering.add("a", true);

        assertThat(handedOver.poll()).containsExactly("a");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
