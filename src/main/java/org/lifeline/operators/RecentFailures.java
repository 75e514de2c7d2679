package org.lifeline.operators;

import java.time.Clock;

/**
 * Failed password steps on this node over the last minute, all accounts together (a sliding estimate from this
 * and the previous clock minute). Beyond the budget, browsers not known to an account are answered "busy": a
 * guessing flood then costs every account the same short wait instead of locking any of them.
 */
final class RecentFailures {

    private static final long MINUTE = 60_000;

    private final Clock clock;
    private final int perMinute;
    private long minute;
    private int current;
    private int previous;

    RecentFailures(Clock clock, int perMinute) {
        this.clock = clock;
        this.perMinute = perMinute;
    }

    synchronized void add() {
        roll();
        current++;
    }

    synchronized boolean exhausted() {
        var elapsed = roll();
        return previous * (1 - (double) elapsed / MINUTE) + current >= perMinute;
    }

    /** Moves to the clock's minute; returns the milliseconds elapsed in it. */
    private long roll() {
        var now = clock.millis();
        var thisMinute = Math.floorDiv(now, MINUTE);
        if (thisMinute != minute) {
            previous = thisMinute == minute + 1 ? current : 0;
            current = 0;
            minute = thisMinute;
        }
        return now - thisMinute * MINUTE;
    }
}
