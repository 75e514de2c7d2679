package org.lifeline.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** A clock tests move forward by hand: TOTP time steps and lockout delays pass without waiting. */
public final class TestClock extends Clock {

    private volatile Instant now;

    public TestClock(Instant start) {
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
        throw new UnsupportedOperationException("The test clock is UTC");
    }

    /** Makes the application's clock a test clock (components use the one {@link Clock} bean there is). */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        @Primary
        TestClock testClock() {
            // whole milliseconds: the database keeps microseconds, so instants read back are the ones written
            return new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        }
    }
}
