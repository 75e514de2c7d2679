package org.lifeline.cases.lifecycle;

/** The answer to a family inquiry. */
public enum InquiryOutcome {
    CAPTURED,
    NO_INFORMATION
}
