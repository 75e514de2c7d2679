package org.lifeline.platform;

import java.time.Duration;
import java.util.Map;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Token buckets of a minute's allowance, one per sender or session, for flood limits. Only so many are tracked;
 * the least recently seen are forgotten first, so a flood of new keys cannot exhaust memory.
 */
public final class PerMinuteBuckets {

    private final Map<String, Bucket> buckets;

    public PerMinuteBuckets(int tracked) {
        this.buckets = Bounded.map(tracked);
    }

    /** The bucket of this key, allowing {@code perMinute} a minute. */
    public Bucket of(String key, int perMinute) {
        return buckets.computeIfAbsent(key, k -> perMinute(perMinute));
    }

    /** One bucket allowing {@code perMinute} a minute, refilled gradually. */
    public static Bucket perMinute(int perMinute) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build();
    }
}
