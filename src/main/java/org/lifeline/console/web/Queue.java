package org.lifeline.console.web;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationView;
import org.springframework.stereotype.Component;

/**
 * What the queue lists: every case not closed, and every live conversation that has no case yet. Urgent items
 * first (a new case, or a soldier who says he can come now), then the most recently active.
 */
@Component
class Queue {

    /** A line of the queue; {@code kind} and {@code assignee} are null for a conversation without a case. */
    record Item(String path, String label, String kind, String status, String channel, String language,
            String assignee, Instant lastActivity, boolean urgent) {
    }

    /** The filters from the query string; a blank value does not filter. */
    record Filter(String status, String kind, String channel, String language, String assignee) {

        boolean accepts(Item item) {
            return matches(status, item.status()) && matches(kind, item.kind()) && matches(channel, item.channel())
                    && matches(language, item.language())
                    && (blank(assignee) || ("none".equals(assignee) ? item.assignee() == null
                            : assignee.equals(item.assignee())));
        }

        private static boolean matches(String wanted, String value) {
            return blank(wanted) || wanted.equals(value);
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }
    }

    private final CaseManagement cases;
    private final ConversationManagement conversations;

    Queue(CaseManagement cases, ConversationManagement conversations) {
        this.cases = cases;
        this.conversations = conversations;
    }

    List<Item> items(Filter filter) {
        var withCase = new HashSet<>();
        var caseItems = cases.active().stream().map(c -> {
            if (c.conversation() != null) {
                withCase.add(c.conversation());
            }
            return item(c, c.conversation() == null ? null : conversations.conversation(c.conversation()));
        }).toList();
        var conversationItems = conversations.active().stream()
                .filter(conversation -> !withCase.contains(conversation.id()))
                .map(Queue::item);
        return Stream.concat(caseItems.stream(), conversationItems)
                .filter(filter::accepts)
                .sorted(Comparator.comparing(Item::urgent).reversed()
                        .thenComparing(Item::lastActivity, Comparator.reverseOrder()))
                .toList();
    }

    private static Item item(CaseView c, ConversationView conversation) {
        var lastActivity = conversation == null || conversation.lastActivityAt().isBefore(c.updatedAt())
                ? c.updatedAt() : conversation.lastActivityAt();
        var urgent = c.status() == CaseStatus.NEW
                || c.kind() == CaseKind.SURRENDER_REQUEST && "now".equals(c.details().get("when"));
        return new Item("/console/cases/" + c.id().value(), c.reference(), c.kind().name(), c.status().name(),
                conversation == null ? null : conversation.channel(),
                conversation == null ? null : conversation.language(), c.assignee(), lastActivity, urgent);
    }

    private static Item item(ConversationView conversation) {
        return new Item("/console/conversations/" + conversation.id().value(), "Conversation", null,
                conversation.status().name(), conversation.channel(), conversation.language(), null,
                conversation.lastActivityAt(), false);
    }
}
