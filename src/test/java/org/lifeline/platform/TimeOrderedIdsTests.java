package org.lifeline.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class TimeOrderedIdsTests {

    @Test
    void anIdIsVersionSevenOfTheRfcVariantAndStartsWithItsMillisecond() {
        var before = System.currentTimeMillis();
        var id = TimeOrderedIds.next();
        var after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    /** Ids of later milliseconds sort after earlier ones as the databases compare them (unsigned, byte by byte). */
    @Test
    void idsOfALaterMillisecondSortAfterAndNoneRepeats() {
        var ids = new ArrayList<UUID>();
        var first = TimeOrderedIds.next();
        var millisecond = first.getMostSignificantBits() >>> 16;
        // a later millisecond, reached without sleeping
        UUID later;
        do {
            later = TimeOrderedIds.next();
            ids.add(later);
        } while ((later.getMostSignificantBits() >>> 16) == millisecond);

        assertThat(Long.compareUnsigned(later.getMostSignificantBits(), first.getMostSignificantBits())).isPositive();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    /**
     * Within one millisecond the rest is random, not a counter: no id tells the next one (a counter's ids would be
     * consecutive numbers).
     */
    @Test
    void idsWithinAMillisecondAreNotConsecutive() {
        var sameMillisecond = 0;
        for (int i = 0; i < 1_000; i++) {
            var a = TimeOrderedIds.next();
            var b = TimeOrderedIds.next();
            if ((a.getMostSignificantBits() >>> 16) == (b.getMostSignificantBits() >>> 16)) {
                sameMillisecond++;
                assertThat(b.getLeastSignificantBits() - a.getLeastSignificantBits()).isNotIn(0L, 1L);
            }
        }
        assertThat(sameMillisecond).as("pairs made within one millisecond, which the test is about").isPositive();
    }
}
