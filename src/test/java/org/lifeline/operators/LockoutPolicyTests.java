package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.ManualClock;

class LockoutPolicyTests {

    private final LockoutPolicy policy = new LockoutPolicy(5, Duration.ofSeconds(30), Duration.ofHours(1));
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void theFirstFailuresCostNothing() {
        for (var failures = 1; failures < 5; failures++) {
            assertThat(policy.lockedUntil(failures, clock.instant())).isEmpty();
        }
    }

    @Test
    void eachFurtherFailureDoublesTheDelayUpToTheMaximum() {
        var expected = new long[] {30, 60, 120, 240, 480, 960, 1920, 3600, 3600};
        for (var i = 0; i < expected.length; i++) {
            clock.advance(Duration.ofMinutes(61));
            var now = clock.instant();

            assertThat(policy.lockedUntil(5 + i, now)).as("failure %d", 5 + i).hasValue(now.plusSeconds(expected[i]));
        }
    }

    @Test
    void evenAbsurdCountsStayAtTheMaximum() {
        assertThat(policy.lockedUntil(Integer.MAX_VALUE, clock.instant())).hasValue(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void refusesASettingThatCouldNeverLock() {
        assertThatThrownBy(() -> new LockoutPolicy(0, Duration.ofSeconds(30), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LockoutPolicy(5, Duration.ofHours(2), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
