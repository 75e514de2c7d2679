package org.lifeline.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.ManualClock;

/**
 * The one mechanism for background work. Time is a manual clock, so a wait ends only when the test moves the clock,
 * wakes the job or stops the work: a job that ran when it should have waited shows up as a count that moved.
 */
class BackgroundWorkTests {

    /** Longer than any test: a job waiting this long only runs again when woken. */
    static final Duration LONG = Duration.ofHours(1);
    /** How long a count must hold still to show that a job waits rather than spins. */
    static final Duration HOLDS = Duration.ofMillis(300);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BackgroundWork work = new BackgroundWork(new PlatformSettings(Path.of("data"), true), clock);
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void stop() {
        work.stop();
    }

    @Test
    void runsAgainAtOnceWhileItReportsWorkDone() {
        work.add("busy", LONG, () -> runs.incrementAndGet() <= 5);
        work.start();

        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 6);
        await().during(HOLDS).atMost(HOLDS.multipliedBy(3)).until(() -> runs.get() == 6);
    }

    @Test
    void aWakeUpEndsTheWaitEarly() {
        var job = work.add("woken", LONG, () -> {
            runs.incrementAndGet();
            return false;
        });
        work.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 1);

        job.wake();

        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 2);
    }

    @Test
    void wakeUpsWhileItWorksCountAsOneLookAfterwards() throws InterruptedException {
        var working = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var pendingAtSecondLook = new CompletableFuture<Integer>();
        var job = new BackgroundWork.Job[1];
        job[0] = work.add("woken often", LONG, () -> {
            var run = runs.incrementAndGet();
            if (run == 1) {
                working.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (run == 2) {
                pendingAtSecondLook.complete(job[0].pendingWakeUps());
            }
            return false;
        });
        work.start();
        working.await();

        for (int i = 0; i < 100; i++) {
            job[0].wake();
        }
        release.countDown();

        assertThat(pendingAtSecondLook.join()).as("wake-ups left once the look they asked for began").isZero();
        await().during(HOLDS).atMost(HOLDS.multipliedBy(3)).until(() -> runs.get() == 2);
    }

    @Test
    void aFailingJobPausesWithoutSpinningAndRecovers() {
        // the log line as the logger wrote it, whatever the console's threshold in this JVM
        var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(BackgroundWork.class);
        logged.start();
        logger.addAppender(logged);
        var failing = new AtomicBoolean(true);
        var job = work.add("failing", Duration.ofMillis(1), () -> {
            runs.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("a message that may quote personal data");
            }
            return false;
        });
        work.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 1);
        for (int i = 0; i < 20; i++) {
            // a webhook wakes it while the database is away: the pause holds
            job.wake();
        }
        await().during(HOLDS).atMost(HOLDS.multipliedBy(3)).until(() -> runs.get() == 1);

        failing.set(false);
        clock.advance(BackgroundWork.PAUSE);

        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 2);
        logger.detachAppender(logged);
        assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .contains("Background job failing failed, pausing: IllegalStateException")
                .noneMatch(line -> line.contains("personal data"));
        // healthy again: a wake-up ends its wait, as it does not end a pause
        job.wake();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 3);
    }

    @Test
    void stopWaitsForTheWorkAtHandAndNeverInterrupts() throws Exception {
        var started = new CountDownLatch(1);
        var finish = new CountDownLatch(1);
        var interrupted = new AtomicBoolean();
        var finished = new AtomicBoolean();
        var order = new CopyOnWriteArrayList<String>();
        work.add("sending", LONG, () -> {
            started.countDown();
            interrupted.set(!awaitUninterruptedly(finish));
            finished.set(true);
            order.add("work done");
            return false;
        });
        work.onStopping(() -> order.add("stopping"));
        work.onStopped(left -> order.add("stopped"));
        work.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        var stopping = new CompletableFuture<Void>();
        Thread.ofPlatform().daemon().start(() -> {
            work.stop();
            stopping.complete(null);
        });
        await().during(HOLDS).atMost(HOLDS.multipliedBy(3)).until(() -> !stopping.isDone());
        finish.countDown();

        stopping.get(5, TimeUnit.SECONDS);
        assertThat(finished).isTrue();
        assertThat(interrupted).as("interrupted").isFalse();
        assertThat(order).containsExactly("stopping", "work done", "stopped");
        assertThat(work.isRunning()).isFalse();
    }

    @Test
    void stopGivesUpAfterTheGraceWithoutInterrupting() throws Exception {
        var started = new CountDownLatch(1);
        var finish = new CountDownLatch(1);
        var interrupted = new AtomicBoolean();
        var left = new CopyOnWriteArrayList<Duration>();
        work.add("stuck", LONG, () -> {
            started.countDown();
            interrupted.set(!awaitUninterruptedly(finish));
            return false;
        });
        work.onStopped(left::add);
        work.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        var begun = System.nanoTime();
        work.stop();
        var took = Duration.ofNanos(System.nanoTime() - begun);

        assertThat(took).isGreaterThanOrEqualTo(BackgroundWork.STOP_GRACE).isLessThan(BackgroundWork.STOP_GRACE.multipliedBy(3));
        assertThat(left).hasSize(1);
        assertThat(left.getFirst()).isLessThanOrEqualTo(Duration.ofMillis(1));
        finish.countDown();
        assertThat(interrupted).as("interrupted").isFalse();
    }

    @Test
    void stopDoesNotWaitForAJobNotAwaitedAtStop() throws Exception {
        var started = new CountDownLatch(1);
        var finish = new CountDownLatch(1);
        work.add("long-poll", LONG, () -> {
            started.countDown();
            awaitUninterruptedly(finish);
            return false;
        }).notAwaitedAtStop();
        work.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        var begun = System.nanoTime();
        work.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(BackgroundWork.STOP_GRACE);
        finish.countDown();
    }

    @Test
    void periodicWorkWaitsItsIntervalFirstAndBetweenRounds() {
        var every = Duration.ofSeconds(30);
        work.add("periodic", every, () -> {
            runs.incrementAndGet();
            return false;
        }).waitingFirst();
        work.start();
        await().during(HOLDS).atMost(HOLDS.multipliedBy(3)).until(() -> runs.get() == 0);

        clock.advance(every);
        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 1);
        await().during(HOLDS).atMost(HOLDS.multipliedBy(3)).until(() -> runs.get() == 1);

        clock.advance(every);
        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 2);
    }

    @Test
    void nothingRunsWhenBackgroundWorkIsOff() {
        var off = new BackgroundWork(new PlatformSettings(Path.of("data"), false), clock);
        var hooks = new CopyOnWriteArrayList<String>();
        var job = off.add("off", Duration.ofMillis(1), () -> runs.incrementAndGet() > 0);
        off.onStart(() -> hooks.add("start"));
        off.start();
        job.wake();

        assertThat(off.isRunning()).isFalse();
        await().during(HOLDS).atMost(HOLDS.multipliedBy(3)).until(() -> runs.get() == 0);
        assertThat(hooks).isEqualTo(List.of());
        off.stop();
    }

    @Test
    void aJobAddedWhileRunningStartsAtOnce() {
        work.start();
        work.add("late", LONG, () -> {
            runs.incrementAndGet();
            return false;
        });

        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() == 1);
    }

    /** Waits for the latch; false if the thread was interrupted meanwhile. */
    private static boolean awaitUninterruptedly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
