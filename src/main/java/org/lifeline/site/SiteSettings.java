package org.lifeline.site;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The official channels the public pages and the signed channel list publish ({@code lifeline.site.*}). Checked
 * at start-up: a typo here would send people to a channel we do not run.
 *
 * @param phones phone numbers of the hotline, as people should dial them ({@code +380 44 000 00 00})
 * @param whatsapp numbers reachable on WhatsApp
 * @param telegramBots usernames of the official Telegram bots, with or without the leading {@code @}
 * @param mirrors addresses of mirrors of this site ({@code https://mirror.example/})
 * @param onionAddress the Tor onion service's host name ({@code <56 characters>.onion}), or none
 * @param chatEntryPoints addresses of live servers whose {@code /{lang}/chat} the pages and mirrors link to
 * @param signingKeyset the Tink keyset that signs the channel list; by default generated on first start into
 *        {@code <data-dir>/keys/site-signing.json}. Give every node the same one, so they publish one key.
 * @param channelListValidity how long a signed channel list is good for after it is signed (default 30 days, at
 *        least 2, at most 90): an old list, perhaps naming a mirror or bot that has since been seized and withdrawn, fails
 *        verification once it expires. The server signs afresh when half of it has passed; a static mirror's copy
 *        must be exported again within it.
 */
@ConfigurationProperties("lifeline.site")
public record SiteSettings(
        @DefaultValue List<String> phones,
        @DefaultValue List<String> whatsapp,
        @DefaultValue List<String> telegramBots,
        @DefaultValue List<URI> mirrors,
        String onionAddress,
        @DefaultValue List<URI> chatEntryPoints,
        Path signingKeyset,
        @DefaultValue("30d") Duration channelListValidity) {

    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{4,30}");
    private static final Pattern BOT = Pattern.compile("[A-Za-z][A-Za-z0-9_]{4,31}");
    private static final Pattern ONION = Pattern.compile("[a-z2-7]{56}\\.onion");

    public SiteSettings {
        phones = List.copyOf(phones);
        whatsapp = List.copyOf(whatsapp);
        telegramBots = telegramBots.stream().map(bot -> bot.startsWith("@") ? bot.substring(1) : bot).toList();
        mirrors = List.copyOf(mirrors);
        chatEntryPoints = List.copyOf(chatEntryPoints);
        onionAddress = onionAddress == null || onionAddress.isBlank() ? null : onionAddress.strip();
        require(channelListValidity.compareTo(Duration.ofDays(2)) >= 0
                        && channelListValidity.compareTo(ChannelList.LONGEST_VALIDITY) <= 0,
                "lifeline.site.channel-list-validity", channelListValidity,
                "2 to 90 days: long enough for mirrors to take a new list, short enough that an old one soon stops vouching");
        for (var number : phones) {
            require(PHONE.matcher(number).matches(), "lifeline.site.phones", number, "a phone number such as +380 44 000 00 00");
        }
        for (var number : whatsapp) {
            require(PHONE.matcher(number).matches(), "lifeline.site.whatsapp", number, "a phone number such as +380 44 000 00 00");
        }
        for (var bot : telegramBots) {
            require(BOT.matcher(bot).matches(), "lifeline.site.telegram-bots", bot, "a Telegram username such as @example_bot");
        }
        for (var url : mirrors) {
            require(isWebAddress(url), "lifeline.site.mirrors", url, "an http:// or https:// address");
        }
        for (var url : chatEntryPoints) {
            require(isWebAddress(url), "lifeline.site.chat-entry-points", url, "an http:// or https:// address");
        }
        if (onionAddress != null) {
            require(ONION.matcher(onionAddress).matches(), "lifeline.site.onion-address", onionAddress,
                    "a Tor v3 onion host name (56 characters, then .onion), without http://");
        }
    }

    /** The onion service's home page, or null when none is configured. */
    public URI onionUrl() {
        return onionAddress == null ? null : URI.create("http://" + onionAddress + "/");
    }

    private static boolean isWebAddress(URI url) {
        return url.isAbsolute() && ("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
                && url.getHost() != null && url.getRawQuery() == null && url.getRawFragment() == null;
    }

    private static void require(boolean valid, String property, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException(property + ": '" + value + "' is not " + expected);
        }
    }
}
