package org.lifeline.cases.lifecycle;

import java.util.Objects;

/**
 * A requested transition: the target status, with the reason when closing and the outcome when answering.
 */
public record StatusChange(CaseStatus to, CloseReason reason, InquiryOutcome outcome) {

    public StatusChange {
        Objects.requireNonNull(to, "to");
    }

    public static StatusChange to(CaseStatus status) {
        return new StatusChange(status, null, null);
    }

    public static StatusChange close(CloseReason reason) {
        return new StatusChange(CaseStatus.CLOSED, reason, null);
    }

    public static StatusChange answer(InquiryOutcome outcome) {
        return new StatusChange(CaseStatus.ANSWERED, null, outcome);
    }
}
