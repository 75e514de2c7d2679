package org.lifeline.cases.lifecycle;

public enum CaseKind {
    /** A soldier who wants to surrender. */
    SURRENDER_REQUEST("A surrender request"),
    /** A relative asking whether a missing soldier was captured. */
    FAMILY_INQUIRY("A family inquiry");

    private final String description;

    CaseKind(String description) {
        this.description = description;
    }

    /** As a sentence starts: "A surrender request". */
    public String description() {
        return description;
    }
}
