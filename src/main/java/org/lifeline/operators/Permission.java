package org.lifeline.operators;

/**
 * What an operator may do. Each is also a Spring Security authority of the same name, so URL rules and checks read
 * {@code hasAuthority("PLAN_HANDOVER")}. Which role holds which: {@link Role}.
 */
public enum Permission {
    /** See the queue of conversations and cases. */
    READ_QUEUE,
    /** Open a case and its transcript (each opening goes to the access record). */
    READ_CASE,
    /** Claim a case or assign it to someone. */
    ASSIGN_CASES,
    /** Write to a requester. */
    REPLY,
    /** Verify, close, mark as provocation, link duplicates. */
    CHANGE_CASE_STATUS,
    /** The coordinator view: plan a handover and record its outcome. */
    PLAN_HANDOVER,
    /** Reports, funnels and team load. */
    SEE_REPORTS,
    /** Create, stop and follow campaigns (their entry points, QR codes and funnels). */
    MANAGE_CAMPAIGNS,
    /** Browse and filter the access record (each browsing is itself recorded). */
    READ_ACCESS_RECORD,
    /** Erase a requester's data on his request (recorded in the access record). */
    ERASE_CONTACTS,
    /** Create accounts, disable them, change roles, reset second factors. */
    MANAGE_USERS,
    /** Keys, retention, channel configuration and the management endpoints. */
    MANAGE_KEYS
}
