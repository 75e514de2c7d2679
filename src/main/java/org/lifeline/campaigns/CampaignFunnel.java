package org.lifeline.campaigns;

/**
 * How far the requesters a campaign brought in got. Each stage counts those who reached it or a later one, so the
 * numbers never grow along the funnel.
 *
 * @param started conversations started through the campaign
 * @param intakeCompleted surrender requests opened in them (the intake flow finished)
 * @param verified of those, requests an operator verified
 * @param handoverPlanned of those, requests with a planned handover
 * @param surrendered of those, requests that ended in a surrender
 */
public record CampaignFunnel(long started, long intakeCompleted, long verified, long handoverPlanned,
        long surrendered) {
}
