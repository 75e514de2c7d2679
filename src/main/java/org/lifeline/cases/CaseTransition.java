package org.lifeline.cases;

import java.time.Instant;

import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.InquiryOutcome;

/**
 * One entry of a case's history: who moved it, when and why.
 *
 * @param from {@code null} for the opening of the case
 * @param note the operator's free text, or {@code null}
 * @param actor an operator's user name, or a component such as {@code flow}
 */
public record CaseTransition(long version, CaseStatus from, CaseStatus to, CloseReason reason,
        InquiryOutcome outcome, String note, String actor, Instant at) {
}
