package org.lifeline.cases;

/** A case was opened (an event: ids only). */
public record CaseOpened(CaseId caseId) {
}
