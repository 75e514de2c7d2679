package org.lifeline.privacy;

import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;

/** Access-record entries: removed from the start of the chain, which stays verifiable from its checkpoint. */
@Component
class AccessRecordRetention extends ExpiringData {

    private final AccessRecord access;

    AccessRecordRetention(AccessRecord access) {
        super("access-record", "access-record entries (the chain keeps a checkpoint of the last one removed)",
                Duration.ofDays(730), "entries");
        this.access = access;
    }

    @Override
    protected long removeBefore(Instant cutoff, boolean dryRun) {
        return access.removeOlderThan(cutoff, dryRun);
    }
}
