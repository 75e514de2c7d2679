package org.lifeline.flows;

import java.time.Duration;
import java.time.Instant;

import org.lifeline.privacy.ExpiringData;
import org.springframework.stereotype.Component;

/** Intakes that never became a case: their flow sessions (the answers given so far) and keys. */
@Component
class AbandonedIntakeRetention extends ExpiringData {

    private final FlowSessions sessions;

    AbandonedIntakeRetention(FlowSessions sessions) {
        super("abandoned-intakes", "flow sessions that never led to a case, with the answers given",
                Duration.ofDays(30), "sessions");
        this.sessions = sessions;
    }

    @Override
    protected long removeBefore(Instant cutoff, boolean dryRun) {
        return sessions.deleteAbandoned(cutoff, dryRun);
    }
}
