package org.lifeline.cases;

import org.lifeline.conversations.ContactForgotten;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A forgotten contact's cases lose their personal fields in the same transaction as he is forgotten: a deletion
 * either erases everything about him or nothing.
 */
@Component
class CaseErasure {

    private final CaseManagement cases;

    CaseErasure(CaseManagement cases) {
        this.cases = cases;
    }

    @EventListener
    void on(ContactForgotten event) {
        cases.eraseCasesOf(event.contact());
    }
}
