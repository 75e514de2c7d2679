package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The channels' settings refuse what would break them, naming the setting. */
class ChannelsSettingsTests {

    @Test
    void aSendLeaseIsBetweenFifteenSecondsAndTenMinutes() {
        assertThat(with(Duration.ofSeconds(15)).sendLease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(with(Duration.ofMinutes(10)).sendLease()).isEqualTo(Duration.ofMinutes(10));
        // renewed every 5 s: shorter, a busy moment would lose it
        assertThatThrownBy(() -> with(Duration.ofSeconds(14))).hasMessage("lifeline.channels.send-lease is between 15s and 10m");
        assertThatThrownBy(() -> with(Duration.ofMinutes(11))).hasMessage("lifeline.channels.send-lease is between 15s and 10m");
    }

    private static ChannelsSettings with(Duration sendLease) {
        return new ChannelsSettings(Duration.ofMinutes(2), 8, 2, 64, Duration.ofMillis(100), true, true, sendLease, Duration.ofSeconds(5));
    }
}
