package org.lifeline.platform;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The one way this node runs background work: a named job is a unit of work run over and over on a thread of its
 * own. A run that did something is followed by the next at once; one that found nothing waits for a {@link Job#wake()
 * wake-up} or its poll interval. A run that fails is logged by its exception's type only (a message may hold personal
 * data) and the job pauses for {@link #PAUSE} or its poll interval if longer, which wake-ups do not cut short, so a
 * database that went away is not hammered. Jobs start and stop with the application, where background work is on ({@code lifeline.background-work});
 * a stop wakes every job, lets the work at hand finish for up to a {@link #STOP_GRACE grace}, and leaves a thread
 * still busy after that to itself (they are daemons). Threads are never interrupted: an interrupt that lands while
 * a thread is inside H2 closes the database file under every other session.
 * <p>
 * A component adds its jobs when it is created ({@link #add}); what it must do around them (take or give up leases)
 * it hooks to the start and stop ({@link #onStart}, {@link #onStopping}, {@link #onStopped}).
 */
@Component
public class BackgroundWork implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundWork.class);
    /** How long a job waits after a failed run, at the least. */
    public static final Duration PAUSE = Duration.ofSeconds(1);
    /** How long a stop lets the jobs finish what they are doing (a send, an update). */
    public static final Duration STOP_GRACE = Duration.ofMillis(1500);
    /** The longest single wait: a wait measured on the clock looks at it again at least this often. */
    private static final long SLICE_MILLIS = 200;

    /** One run of a job's work: returns whether it did something (and is run again at once). */
    @FunctionalInterface
    public interface Step {
        boolean run();
    }

    private final PlatformSettings settings;
    private final Clock clock;
    private final List<Job> jobs = new CopyOnWriteArrayList<>();
    private final List<Runnable> starting = new CopyOnWriteArrayList<>();
    private final List<Runnable> stopping = new CopyOnWriteArrayList<>();
    private final List<Consumer<Duration>> stopped = new CopyOnWriteArrayList<>();
    private final List<Thread> awaited = new ArrayList<>();
    /** The current run of the lifecycle; a thread left over from an earlier run sees its own one ended. */
    private volatile Run run;

    private static final class Run {
        volatile boolean active = true;
    }

    @Autowired
    public BackgroundWork(PlatformSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock what waits are measured on (the real time: a test's manual clock would hold every poll) */
    BackgroundWork(PlatformSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Adds a job, started with the others (at once when they run already, so set its options before the start).
     *
     * @param poll how long a run that found nothing waits for a wake-up before the next
     */
    public synchronized Job add(String name, Duration poll, Step step) {
        var job = new Job(name, poll, step);
        jobs.add(job);
        if (run != null) {
            job.start(run);
        }
        return job;
    }

    /** Called on start, before the jobs run. */
    public void onStart(Runnable hook) {
        starting.add(hook);
    }

    /** Called when a stop begins, before the jobs are woken to end. */
    public void onStopping(Runnable hook) {
        stopping.add(hook);
    }

    /** Called when the jobs have ended or the grace is over, with what is left of the grace. */
    public void onStopped(Consumer<Duration> hook) {
        stopped.add(hook);
    }

    /** A named job; its threads are named after it. */
    public final class Job {

        private final String name;
        private final Duration poll;
        private final Step step;
        private final Semaphore signal = new Semaphore(0);
        private int threads = 1;
        private boolean waitFirst;
        private boolean awaitedAtStop = true;

        private Job(String name, Duration poll, Step step) {
            this.name = name;
            this.poll = poll;
            this.step = step;
        }

        /** Runs the job on this many threads at once (a wake-up wakes one of them). */
        public Job threads(int count) {
            this.threads = count;
            return this;
        }

        /** Waits its poll interval before the first run too (periodic work), rather than running at start. */
        public Job waitingFirst() {
            this.waitFirst = true;
            return this;
        }

        /**
         * A stop does not wait for this job's run at hand (a long poll whose result is dropped once stopping), and
         * the job must not act on what it got once {@link BackgroundWork#isRunning()} is false.
         */
        public Job notAwaitedAtStop() {
            this.awaitedAtStop = false;
            return this;
        }

        /**
         * Cuts its wait short: there is work to look at. Wake-ups before the job next looks count as one per thread:
         * a wake-up asks for a look after it, which a look still to come gives (a hundred answers queued while the
         * job was busy woke it a hundred times in turn, each look finding nothing new).
         */
        public void wake() {
            if (signal.availablePermits() < threads) {
                signal.release();
            }
        }

        /** Wake-ups waiting for the job's next look. */
        int pendingWakeUps() {
            return signal.availablePermits();
        }

        private void start(Run current) {
            for (int i = 0; i < threads; i++) {
                var thread = Thread.ofPlatform().name(threads == 1 ? name : name + "-" + i).daemon()
                        .unstarted(() -> loop(current));
                if (awaitedAtStop) {
                    awaited.add(thread);
                }
                thread.start();
            }
        }

        private void loop(Run current) {
            try {
                if (waitFirst) {
                    await(current, poll, true);
                }
                while (current.active) {
                    try {
                        if (!step.run()) {
                            await(current, poll, true);
                        }
                    } catch (RuntimeException e) {
                        if (!current.active) {
                            // stopping: what failed is done again on the next start
                            return;
                        }
                        log.warn("Background job {} failed, pausing: {}", name, e.getClass().getSimpleName());
                        await(current, poll.compareTo(PAUSE) > 0 ? poll : PAUSE, false);
                    }
                }
            } catch (InterruptedException e) {
                // nothing here interrupts a job's thread; if something did, the job keeps the flag and ends
                Thread.currentThread().interrupt();
            }
        }

        /** Waits the time on the clock, or until woken when {@code wakeable}; always until stopped. */
        private void await(Run current, Duration time, boolean wakeable) throws InterruptedException {
            var until = clock.instant().plus(time);
            while (current.active) {
                var left = Duration.between(clock.instant(), until).toMillis();
                if (left <= 0) {
                    return;
                }
                if (signal.tryAcquire(Math.min(left, SLICE_MILLIS), TimeUnit.MILLISECONDS) && wakeable) {
                    return;
                }
            }
        }

        private void release() {
            signal.release(threads * 2);
        }
    }

    @Override
    public synchronized void start() {
        if (run != null || !settings.backgroundWork()) {
            return;
        }
        starting.forEach(Runnable::run);
        run = new Run();
        jobs.forEach(job -> job.start(run));
    }

    /** Ends the jobs, waiting for the work at hand within {@link #STOP_GRACE}; never interrupts a thread. */
    @Override
    public synchronized void stop() {
        var current = run;
        if (current == null) {
            return;
        }
        run = null;
        current.active = false;
        stopping.forEach(Runnable::run);
        jobs.forEach(Job::release);
        var deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            for (var thread : awaited) {
                thread.join(left(deadline));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaited.clear();
        stopped.forEach(hook -> hook.accept(left(deadline)));
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    @Override
    public boolean isRunning() {
        return run != null;
    }
}
