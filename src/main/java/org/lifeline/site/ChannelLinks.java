package org.lifeline.site;

import java.net.URI;
import java.util.List;

/**
 * The official channels as the pages show them in one language: the text to read and, where there is one,
 * the address to follow. These are the only absolute addresses any page links to.
 */
public record ChannelLinks(List<Link> phones, List<String> whatsapp, List<Link> telegramBots, List<Link> chat,
                           List<Link> mirrors, Link onion) {

    public record Link(String text, String href) {
    }

    static ChannelLinks of(SiteSettings settings, SiteLanguage language) {
        return new ChannelLinks(
                settings.phones().stream().map(number -> new Link(number, "tel:" + number.replaceAll("[^+0-9]", ""))).toList(),
                settings.whatsapp(),
                settings.telegramBots().stream().map(bot -> new Link("@" + bot, "https://t.me/" + bot)).toList(),
                settings.chatEntryPoints().stream().map(entry -> webLink(chat(entry, language))).toList(),
                settings.mirrors().stream().map(ChannelLinks::webLink).toList(),
                settings.onionUrl() == null ? null : webLink(settings.onionUrl()));
    }

    /** The web chat of one live server, in one language. */
    static URI chat(URI entryPoint, SiteLanguage language) {
        var base = entryPoint.getRawPath().endsWith("/") ? entryPoint : URI.create(entryPoint + "/");
        return base.resolve(language.code() + "/chat");
    }

    private static Link webLink(URI url) {
        return new Link(url.getHost(), url.toString());
    }

    public boolean none() {
        return phones.isEmpty() && whatsapp.isEmpty() && telegramBots.isEmpty() && chat.isEmpty()
                && mirrors.isEmpty() && onion == null;
    }
}
