package org.lifeline.campaigns;

import java.util.Optional;

import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.reporting.CampaignOfConversation;
import org.springframework.stereotype.Component;

/**
 * Tells reporting which campaign a conversation came through, by the campaign's name: what a report shows and
 * everyone who came that way shares (never the entry code, which lets anyone who knows it be counted as from it).
 */
@Component
class CampaignOfConversations implements CampaignOfConversation {

    private final ConversationManagement conversations;
    private final CampaignManagement campaigns;

    CampaignOfConversations(ConversationManagement conversations, CampaignManagement campaigns) {
        this.conversations = conversations;
        this.campaigns = campaigns;
    }

    @Override
    public Optional<String> campaignOf(ConversationId conversation) {
        return Optional.ofNullable(conversations.conversation(conversation).campaign())
                .map(id -> campaigns.campaign(new CampaignId(id)).name());
    }
}
