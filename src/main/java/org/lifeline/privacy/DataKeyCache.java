package org.lifeline.privacy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.lifeline.privacy.envelope.DataKey;

/**
 * Unwrapped data keys in memory, least recently used first out. A plain access-ordered map is enough here: the
 * cache is small, and a library would add a dependency for no gain. Entries expire, so a key destroyed by another
 * node stops working here within the time to live.
 */
final class DataKeyCache {

    private final int capacity;
    private final Duration timeToLive;
    private final Clock clock;
    private final Map<UUID, Cached> entries;

    DataKeyCache(int capacity, Duration timeToLive, Clock clock) {
        this.capacity = capacity;
        this.timeToLive = timeToLive;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Cached> eldest) {
                return size() > DataKeyCache.this.capacity;
            }
        };
    }

    synchronized DataKey get(UUID id) {
        var entry = entries.get(id);
        if (entry == null) {
            return null;
        }
        if (clock.instant().isAfter(entry.expiresAt())) {
            entries.remove(id);
            return null;
        }
        return entry.key();
    }

    synchronized void put(UUID id, DataKey key) {
        entries.put(id, new Cached(key, clock.instant().plus(timeToLive)));
    }

    synchronized void evict(UUID id) {
        entries.remove(id);
    }

    synchronized int size() {
        return entries.size();
    }

    private record Cached(DataKey key, Instant expiresAt) {
    }
}
