package org.lifeline.reporting;

import java.time.Clock;
import java.time.Duration;

import org.lifeline.cases.CaseManagement;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Times the first answer an operator gives in a conversation. The console calls it in the transaction that queues
 * the reply; the flow's own messages are not answers. The requester waits from the end of the intake (his case's
 * opening) or, without a case, from the start of the conversation.
 */
@Service
@Transactional
public class OperatorAnswers {

    private final EventHistory history;
    private final EventRecorder recorder;
    private final ConversationManagement conversations;
    private final CaseManagement cases;
    private final Clock clock;

    OperatorAnswers(EventHistory history, EventRecorder recorder, ConversationManagement conversations,
            CaseManagement cases, Clock clock) {
        this.history = history;
        this.recorder = recorder;
        this.conversations = conversations;
        this.cases = cases;
        this.clock = clock;
    }

    /** An operator answered in the conversation; counted only the first time. */
    public void answered(ConversationId conversation) {
        var now = clock.instant();
        if (!history.markAnswered(conversation, now)) {
            return;
        }
        var since = cases.findByConversation(conversation).map(kase -> kase.createdAt())
                .filter(opened -> !opened.isAfter(now))
                .orElseGet(() -> conversations.conversation(conversation).openedAt());
        var waited = Duration.between(since, now);
        history.record(ReportEvent.FIRST_ANSWER, now, recorder.dimensions(conversation), null, null,
                Math.max(0, waited.toSeconds()));
    }
}
