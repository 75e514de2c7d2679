package org.lifeline.reporting;

/** What a row of the anonymous event history says happened. */
enum ReportEvent {
    /** A conversation began: a request, whatever comes of it. */
    REQUEST_STARTED,
    /** The intake flow's end: a case opened from a conversation. */
    INTAKE_COMPLETED,
    /** A case of either kind opened, from a conversation or by an operator. */
    CASE_OPENED,
    /** A surrender request verified for the first time (not again after a plan fell through). */
    VERIFIED,
    /** A handover planned for the case for the first time. */
    HANDOVER_PLANNED,
    SURRENDERED,
    /** A case closed, with its reason. */
    CASE_CLOSED,
    /** An operator's first answer in a conversation, with how long the requester waited for it. */
    FIRST_ANSWER,
    /** An outbound message that left: accepted by its channel, or confirmed delivered (once per message sent). */
    DELIVERED,
    /** An outbound message the channel could not deliver. */
    FAILED
}
