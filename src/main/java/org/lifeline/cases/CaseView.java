package org.lifeline.cases;

import java.time.Instant;
import java.util.Map;

import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseState;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.InquiryOutcome;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;

/**
 * A case as operators see it.
 *
 * @param reference what the requester quotes, such as {@code K7M-4QX}
 * @param contact {@code null} for a case not opened from a conversation
 * @param details the answers the flow collected, in the order collected
 * @param version pass it back to change the case: a change based on an older version is refused
 * @param erased whether the requester's data was erased (his deletion request, or an operator's on his behalf): the
 *         details are then empty and the case is an anonymous outcome
 */
public record CaseView(CaseId id, String reference, CaseKind kind, CaseStatus status, CloseReason closeReason,
        InquiryOutcome outcome, ContactId contact, ConversationId conversation, Map<String, String> details,
        Instant createdAt, Instant updatedAt, long version, String assignee, boolean erased) {

    public CaseState state() {
        return new CaseState(kind, status, closeReason, outcome);
    }
}
