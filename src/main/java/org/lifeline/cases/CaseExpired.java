package org.lifeline.cases;

/**
 * A closed case reached the end of its retention period and is about to be removed, with its history and key:
 * whoever refers to it lets go now, in the same transaction.
 */
public record CaseExpired(CaseId caseId) {
}
