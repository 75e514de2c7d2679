package org.lifeline.testing;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The heap in use after full collections, once it stops moving: what the application holds on to, without the
 * garbage of the moment. Flood tests compare it before and after a flood.
 */
public final class SettledHeap {

    /** Two readings in a row closer than this count as settled. */
    private static final long STEADY = 1L << 20;

    private SettledHeap() {
    }

    public static long used() {
        var memory = ManagementFactory.getMemoryMXBean();
        var last = new long[] {Long.MAX_VALUE};
        var settled = new long[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            System.gc();
            var now = memory.getHeapMemoryUsage().getUsed();
            var steady = Math.abs(now - last[0]) < STEADY;
            last[0] = now;
            settled[0] = now;
            return steady;
        });
        return settled[0];
    }
}
