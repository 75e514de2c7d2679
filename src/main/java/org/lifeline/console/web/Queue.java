package org.lifeline.console.web;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.lifeline.campaigns.Campaign;
import org.lifeline.campaigns.CampaignManagement;
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

    /**
     * A line of the queue; {@code label} (the page shows "conversation" in the operator's language), {@code kind}
     * and {@code assignee} are null for a conversation without a case; {@code campaign} (its id) and
     * {@code campaignName} are null when it started through none.
     */
    record Item(String path, String label, String kind, String status, String channel, String language,
            String assignee, Instant lastActivity, boolean urgent, String campaign, String campaignName) {
    }

    /** The filters from the query string; a blank value does not filter; {@code campaign} is a campaign's id. */
    record Filter(String status, String kind, String channel, String language, String assignee, String campaign) {

        boolean accepts(Item item) {
            return matches(status, item.status()) && matches(kind, item.kind()) && matches(channel, item.channel())
                    && matches(language, item.language()) && matches(campaign, item.campaign())
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
    private final CampaignManagement campaigns;

    Queue(CaseManagement cases, ConversationManagement conversations, CampaignManagement campaigns) {
        this.cases = cases;
        this.conversations = conversations;
        this.campaigns = campaigns;
    }

    /** For the queue's campaign filter. */
    List<Campaign> campaigns() {
        return campaigns.list();
    }

    List<Item> items(Filter filter) {
        var names = campaigns.list().stream().collect(Collectors.toMap(c -> c.id().value(), Campaign::name));
        var withCase = new HashSet<>();
        var caseItems = cases.active().stream().map(c -> {
            if (c.conversation() != null) {
                withCase.add(c.conversation());
            }
            return item(c, c.conversation() == null ? null : conversations.conversation(c.conversation()), names);
        }).toList();
        var conversationItems = conversations.active().stream()
                .filter(conversation -> !withCase.contains(conversation.id()))
                .map(conversation -> item(conversation, names));
        return Stream.concat(caseItems.stream(), conversationItems)
                .filter(filter::accepts)
                .sorted(Comparator.comparing(Item::urgent).reversed()
                        .thenComparing(Item::lastActivity, Comparator.reverseOrder()))
                .toList();
    }

    private static Item item(CaseView c, ConversationView conversation, Map<UUID, String> campaigns) {
        var lastActivity = conversation == null || conversation.lastActivityAt().isBefore(c.updatedAt())
                ? c.updatedAt() : conversation.lastActivityAt();
        var urgent = c.status() == CaseStatus.NEW
                || c.kind() == CaseKind.SURRENDER_REQUEST && "now".equals(c.details().get("when"));
        return new Item("/console/cases/" + c.id().value(), c.reference(), c.kind().name(), c.status().name(),
                conversation == null ? null : conversation.channel(),
                conversation == null ? null : conversation.language(), c.assignee(), lastActivity, urgent,
                conversation == null ? null : id(conversation.campaign()),
                conversation == null ? null : campaigns.get(conversation.campaign()));
    }

    private static Item item(ConversationView conversation, Map<UUID, String> campaigns) {
        return new Item("/console/conversations/" + conversation.id().value(), null, null,
                conversation.status().name(), conversation.channel(), conversation.language(), null,
                conversation.lastActivityAt(), false, id(conversation.campaign()), campaigns.get(conversation.campaign()));
    }

    private static String id(UUID campaign) {
        return campaign == null ? null : campaign.toString();
    }
}
