package org.lifeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.privacy.envelope.DataKey;
import org.lifeline.privacy.envelope.Keysets;
import org.lifeline.privacy.envelope.MasterKey;

class DataKeyCacheTests {

    private final MasterKey master = MasterKey.fromJson(Keysets.newMasterKeyset());
    private final SettableClock clock = new SettableClock();

    @Test
    void dropsTheLeastRecentlyUsedKeyBeyondItsCapacity() {
        var cache = new DataKeyCache(2, Duration.ofMinutes(1), clock);
        var a = UUID.randomUUID();
        var b = UUID.randomUUID();
        var c = UUID.randomUUID();
        cache.put(a, key());
        cache.put(b, key());
        cache.get(a);

        cache.put(c, key());

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(b)).isNull();
        assertThat(cache.get(a)).isNotNull();
        assertThat(cache.get(c)).isNotNull();
    }

    @Test
    void forgetsKeysAfterTheirTimeToLive() {
        var cache = new DataKeyCache(10, Duration.ofMinutes(1), clock);
        var id = UUID.randomUUID();
        cache.put(id, key());

        clock.now = clock.now.plusSeconds(59);
        assertThat(cache.get(id)).isNotNull();
        clock.now = clock.now.plusSeconds(2);
        assertThat(cache.get(id)).isNull();
    }

    @Test
    void evictsOnRequest() {
        var cache = new DataKeyCache(10, Duration.ofMinutes(1), clock);
        var id = UUID.randomUUID();
        cache.put(id, key());

        cache.evict(id);

        assertThat(cache.get(id)).isNull();
    }

    private DataKey key() {
        return master.newDataKey(UUID.randomUUID()).key();
    }

    private static final class SettableClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
