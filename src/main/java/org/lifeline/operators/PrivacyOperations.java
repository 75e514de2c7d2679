package org.lifeline.operators;

import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.PrivacyOperationCompleted;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Key changes and retention runs go into the access record like every other change (no operator: a command). */
@Component
class PrivacyOperations {

    private final AccessRecord access;

    PrivacyOperations(AccessRecord access) {
        this.access = access;
    }

    @EventListener
    void on(PrivacyOperationCompleted event) {
        access.record(event.action(), null, Outcome.SUCCEEDED);
    }
}
