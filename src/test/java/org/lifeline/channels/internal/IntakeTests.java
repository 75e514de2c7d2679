package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.lifeline.privacy.Retention;

/** How old an update the intake takes, by the time the channel gives it, against how long it remembers updates. */
class IntakeTests {

    private static final Instant NOW = Instant.parse("2026-12-04T03:00:00Z");

    private static Intake remembering(Duration inboundUpdates, Duration floodDrops) {
        var retention = mock(Retention.class);
        when(retention.period(ChannelRetention.INBOUND_UPDATES)).thenReturn(inboundUpdates);
        when(retention.period(ChannelRetention.FLOOD_DROPS)).thenReturn(floodDrops);
        return new Intake(null, null, null, null, null, null, null, retention, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static long ago(Duration age) {
        return NOW.minus(age).getEpochSecond();
    }

    @Test
    void takesWhatIsDatedWithinTheShorterMemoryLessADay() {
        var intake = remembering(Duration.ofDays(7), Duration.ofDays(5));

        assertThat(intake.tooOld(ago(Duration.ofDays(4).plusSeconds(1)))).isTrue();
        assertThat(intake.tooOld(ago(Duration.ofDays(4)))).isFalse();
        assertThat(intake.tooOld(ago(Duration.ofHours(25)))).as("Telegram keeps an update a day").isFalse();
        assertThat(intake.tooOld(Long.MAX_VALUE)).as("a time to come").isFalse();
        assertThat(intake.tooOld(Long.MIN_VALUE)).isTrue();
    }

    @Test
    void refusesToStartWithAMemoryTooShortForUpdatesTwoDaysLate() {
        assertThatThrownBy(() -> remembering(Duration.ofDays(7), Duration.ofHours(71)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lifeline.retention.periods.inbound-updates and .flood-drops are at least 3d");
        assertThat(remembering(Duration.ofDays(3), Duration.ofDays(3)).tooOld(ago(Duration.ofDays(2)))).isFalse();
    }
}
