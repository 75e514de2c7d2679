/**
 * Campaigns: a Korean video, a leaflet run, a series of posts, each with a random entry code its links and QR codes
 * carry. {@link org.lifeline.campaigns.CampaignManagement} creates and lists them, tells the channels which campaign
 * (and so which language) an entry code stands for, lists a campaign's entry points and counts its funnel;
 * {@link org.lifeline.campaigns.QrCodes} draws the codes; {@code campaigns create} writes them, and hands them to any
 * {@link org.lifeline.campaigns.CampaignMaterial} (end cards, leaflets). Entry points come from the official channels
 * the public site publishes, so a campaign never prints a channel the signed list does not vouch for. The commands
 * go into the access record as the console's pages do ({@code campaigns.create}, {@code campaigns.read}).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy", "site", "cases :: lifecycle"})
package org.lifeline.campaigns;
