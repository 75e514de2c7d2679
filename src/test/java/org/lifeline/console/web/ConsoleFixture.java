package org.lifeline.console.web;

import java.util.Map;
import java.util.UUID;

import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.testing.ManualClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * What the console's integration tests share (each is a {@code @ConsoleTest}): the application's parts they drive,
 * {@link ConsoleAccounts} for signing in, and a requester's case to work on.
 */
abstract class ConsoleFixture {

    @Autowired
    MockMvc mvc;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    ManualClock clock;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    AccessRecord access;

    ConsoleAccounts accounts;

    /** Set when the test instance is made, so that {@code @BeforeAll} of a per-class instance has it too. */
    @Autowired
    void accounts(MockMvc mvc, OperatorAdministration administration, ManualClock clock) {
        accounts = new ConsoleAccounts(mvc, administration, clock);
    }

    /**
     * A surrender request from a new Telegram requester writing in {@code language}, with these messages from him
     * and these answers; {@code label} keeps the test's requesters apart in the shared database.
     */
    CaseView openCase(String label, String language, Map<String, String> answers, String... messages) {
        var contact = conversations.findOrCreateContact("telegram", label + "-" + UUID.randomUUID(), language);
        var conversation = conversations.openOrResumeConversation(contact, language, null);
        for (var message : messages) {
            conversations.recordInbound(conversation, message, null);
        }
        return cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, answers, "test");
    }
}
