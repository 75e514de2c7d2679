package org.lifeline.cases;

/**
 * A change refused because the case takes no more changes of that kind: it is finished (closed or surrendered: only
 * its status may still change, where its lifecycle allows), or its requester had his data erased (it is an anonymous
 * outcome, and nothing about it changes). {@link #getMessage()} is in English and names the case by its id only;
 * {@link #reason()} lets the console say it in the operator's language.
 */
public final class CaseUnchangeable extends RuntimeException {

    private final String reason;

    private CaseUnchangeable(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    static CaseUnchangeable finished(CaseId id) {
        return new CaseUnchangeable("finished", "Case " + id.value() + " is closed or surrendered: its details and "
                + "assignee no longer change (a case closed as LOST_CONTACT is reopened by its status first)");
    }

    static CaseUnchangeable erased(CaseId id) {
        return new CaseUnchangeable("erased", "Case " + id.value() + " was erased with its requester's data: it no "
                + "longer changes");
    }

    /** {@code finished} or {@code erased}. */
    public String reason() {
        return reason;
    }
}
