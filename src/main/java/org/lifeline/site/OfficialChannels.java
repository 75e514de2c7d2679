package org.lifeline.site;

import java.util.List;

/**
 * The official channels as the signed list ({@code /.well-known/lifeline-channels.json}) carries them, for those
 * who repeat the list elsewhere (the bot's {@code /verify}): the same strings in the same order, so that what they
 * say can be compared with the signed list character by character.
 *
 * @param phones hotline numbers
 * @param whatsapp numbers on WhatsApp
 * @param telegramBots bot usernames with their {@code @}
 * @param chat addresses of live servers with the web chat
 * @param mirrors addresses of mirrors of the site
 * @param onion the onion service's host name, or null
 */
public record OfficialChannels(List<String> phones, List<String> whatsapp, List<String> telegramBots,
                               List<String> chat, List<String> mirrors, String onion) {

    public OfficialChannels {
        phones = List.copyOf(phones);
        whatsapp = List.copyOf(whatsapp);
        telegramBots = List.copyOf(telegramBots);
        chat = List.copyOf(chat);
        mirrors = List.copyOf(mirrors);
    }

    static OfficialChannels of(SiteSettings settings) {
        return new OfficialChannels(settings.phones(), settings.whatsapp(),
                settings.telegramBots().stream().map(bot -> "@" + bot).toList(),
                settings.chatEntryPoints().stream().map(Object::toString).toList(),
                settings.mirrors().stream().map(Object::toString).toList(),
                settings.onionAddress());
    }
}
