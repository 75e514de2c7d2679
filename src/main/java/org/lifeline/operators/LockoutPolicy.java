package org.lifeline.operators;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Increasing delay after repeated failures: the first {@code threshold - 1} failures in a row cost nothing, then
 * each further one locks the account for twice as long as the one before, up to {@code maxDelay}.
 */
record LockoutPolicy(int threshold, Duration delay, Duration maxDelay) {

    LockoutPolicy {
        if (threshold < 1 || delay.isNegative() || maxDelay.compareTo(delay) < 0) {
            throw new IllegalArgumentException("lockout: threshold >= 1 and 0 <= delay <= max delay");
        }
    }

    static LockoutPolicy of(OperatorsSettings settings) {
        return new LockoutPolicy(settings.lockoutThreshold(), settings.lockoutDelay(), settings.lockoutMaxDelay());
    }

    /** Until when the account is locked after its {@code failures}-th failure in a row at {@code now}. */
    Optional<Instant> lockedUntil(int failures, Instant now) {
        if (failures < threshold) {
            return Optional.empty();
        }
        // beyond 2^20 the maximum has long been reached; the bound keeps the multiplication from overflowing
        var doublings = Math.min(failures - threshold, 20);
        var lock = delay.multipliedBy(1L << doublings);
        return Optional.of(now.plus(lock.compareTo(maxDelay) > 0 ? maxDelay : lock));
    }
}
