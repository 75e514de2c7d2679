package org.lifeline.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.lifeline.testing.ManualClock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Makes the application's clock a {@link ManualClock} (components use the one {@link Clock} bean there is). */
@TestConfiguration(proxyBeanMethods = false)
public class ManualClockConfiguration {

    @Bean
    @Primary
    ManualClock manualClock() {
        // whole milliseconds: the database keeps microseconds, so instants read back are the ones written
        return new ManualClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
