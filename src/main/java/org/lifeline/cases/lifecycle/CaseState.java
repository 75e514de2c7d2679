package org.lifeline.cases.lifecycle;

import java.util.Objects;

/**
 * Where a case stands.
 *
 * @param closeReason set exactly when the status is {@link CaseStatus#CLOSED}
 * @param outcome set once a family inquiry was answered
 */
public record CaseState(CaseKind kind, CaseStatus status, CloseReason closeReason, InquiryOutcome outcome) {

    public CaseState {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
    }

    public static CaseState opened(CaseKind kind) {
        return new CaseState(kind, CaseStatus.NEW, null, null);
    }
}
