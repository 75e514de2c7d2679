package org.lifeline.campaigns;

/**
 * One way into a campaign: what a QR code carries and a leaflet prints.
 *
 * @param channel {@code telegram}, {@code whatsapp}, {@code webchat} or {@code phone}
 * @param target the bot, number or host it leads to, as people read it ({@code @example_bot}, {@code +380 44 …})
 * @param link the address with the campaign's code ({@code https://t.me/example_bot?start=…}, {@code tel:+380…})
 * @param fileName a name for its files, without extension, unique within the campaign
 */
public record EntryPoint(String channel, String target, String link, String fileName) {
}
