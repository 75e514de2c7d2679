package org.lifeline.webchat;

import org.lifeline.cases.lifecycle.CaseStatus;

/** What an adapter must not do, for ArchitectureTests to prove its adapter rule can fail: use another module's inside. */
public final class ReachesIntoAnotherModule {

    CaseStatus status;

    private ReachesIntoAnotherModule() {
    }
}
