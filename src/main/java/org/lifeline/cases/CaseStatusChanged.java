package org.lifeline.cases;

/** A case moved to another status (an event: ids only; read the case for the rest). */
public record CaseStatusChanged(CaseId caseId) {
}
