package org.lifeline.platform;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * Work a node does every so often, as a job of its {@link BackgroundWork} (so only where background work is on,
 * {@code lifeline.background-work}): started and stopped with the application; a failed round is logged by its type
 * only (a message may hold personal data) and the next round comes as planned.
 */
public abstract class PeriodicWork {

    private final String name;

    /**
     * @param name the thread's name, and the work's in the log
     * @param settings whether background work is on: {@link BackgroundWork} honours it for every job
     */
    protected PeriodicWork(String name, PlatformSettings settings) {
        this.name = name;
    }

    /** The time between the end of one round and the start of the next, the first one included. */
    protected abstract Duration every();

    /** One round of the work. */
    protected abstract void round();

    /** Set by Spring once the subclass is built, so that {@link #every()} can read its settings. */
    @Autowired
    final void schedule(BackgroundWork work) {
        work.add(name, every(), () -> {
            round();
            return false;
        }).waitingFirst();
    }
}
