package org.lifeline.reporting;

import java.util.Optional;

import org.lifeline.conversations.ConversationId;

/**
 * The campaign a conversation came through, as a short key shared by everyone who came that way (never a person's
 * entry code). The campaigns module implements it; without one, {@link ReportingConfiguration} says "none" for every
 * conversation.
 */
public interface CampaignOfConversation {

    /** At most 64 characters; longer keys are cut. */
    Optional<String> campaignOf(ConversationId conversation);
}
