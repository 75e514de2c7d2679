package org.lifeline.privacy;

import java.time.Duration;

import org.lifeline.platform.PeriodicWork;
import org.lifeline.platform.PlatformSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The daily retention run. Every node asks now and then whether today's run is still to do; the one that claims it
 * in the database runs it, so it runs once a day however many nodes there are.
 */
@Component
class RetentionSchedule extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final Retention retention;
    private final RetentionSettings settings;

    RetentionSchedule(Retention retention, RetentionSettings settings, PlatformSettings platform) {
        super("retention", platform);
        this.retention = retention;
        this.settings = settings;
    }

    /** One check: runs retention if this node claims today's run. Returns whether it ran. */
    boolean runIfDue() {
        if (!retention.claimToday()) {
            return false;
        }
        var removed = retention.run(false).stream().mapToLong(Retention.Purged::removed).sum();
        log.info("Retention run removed {} items", removed);
        return true;
    }

    @Override
    protected Duration every() {
        return settings.checkEvery();
    }

    @Override
    protected void round() {
        runIfDue();
    }
}
