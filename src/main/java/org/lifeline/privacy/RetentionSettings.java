package org.lifeline.privacy;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param periods how long each kind of data is kept ({@code lifeline.retention.periods.closed-cases=365d}); kinds
 *         not named keep their default
 * @param checkEvery how often each node asks whether today's retention run is still to do (one node does it)
 */
@ConfigurationProperties("lifeline.retention")
record RetentionSettings(Map<String, Duration> periods, @DefaultValue("1h") Duration checkEvery) {

    RetentionSettings {
        periods = periods == null ? Map.of() : Map.copyOf(periods);
    }
}
