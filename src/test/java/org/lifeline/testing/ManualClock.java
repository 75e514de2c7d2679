package org.lifeline.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Time that moves only when told: lets tests try reminders, expiry, TOTP time steps and lockout delays without
 * waiting. Safe to read from other threads while a test moves it.
 */
public final class ManualClock extends Clock {

    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = start;
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // asking for UTC explicitly (as the channels' daily transit keys do) is asking for this clock
        if (ZoneOffset.UTC.normalized().equals(zone.normalized())) {
            return this;
        }
        throw new UnsupportedOperationException("a manual clock runs on UTC");
    }
}
