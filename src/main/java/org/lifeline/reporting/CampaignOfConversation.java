package org.lifeline.reporting;

import java.util.Optional;

import org.lifeline.conversations.ConversationId;

/**
 * The campaign a conversation came through, by the campaign's name. No longer read: reporting keeps the
 * conversation's campaign id and reads the names when a report is. To be removed with its implementation in the
 * campaigns module.
 */
@Deprecated
public interface CampaignOfConversation {

    /** At most 64 characters; longer keys are cut. */
    Optional<String> campaignOf(ConversationId conversation);
}
