package org.lifeline.cases.lifecycle;

/** The statuses of both kinds; {@link CaseLifecycle} says which belong to which kind and in what order. */
public enum CaseStatus {
    NEW,
    IN_CONTACT,
    VERIFIED,
    HANDOVER_PLANNED,
    SURRENDERED,
    SEARCHING,
    ANSWERED,
    CLOSED
}
