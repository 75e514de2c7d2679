package org.lifeline.flows;

import org.lifeline.cases.CaseExpired;
import org.lifeline.conversations.ContactForgotten;
import org.lifeline.conversations.ConversationManagement;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A forgotten contact's flow sessions (his answers) go with him, and sessions referring to a case that retention
 * removes go with the case, in the same transaction.
 */
@Component
class FlowSessionErasure {

    private final FlowSessions sessions;
    private final ConversationManagement conversations;

    FlowSessionErasure(FlowSessions sessions, ConversationManagement conversations) {
        this.sessions = sessions;
        this.conversations = conversations;
    }

    @EventListener
    void on(ContactForgotten event) {
        conversations.conversationsOf(event.contact()).forEach(sessions::delete);
    }

    @EventListener
    void on(CaseExpired event) {
        sessions.deleteOfCase(event.caseId());
    }
}
