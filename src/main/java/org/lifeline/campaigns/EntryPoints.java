package org.lifeline.campaigns;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

import org.lifeline.site.SiteSettings;
import org.springframework.stereotype.Component;

/**
 * A campaign's entry points, from the official channels {@code lifeline.site.*} publishes (and the signed channel
 * list vouches for): a campaign never prints a bot or number that list does not name. Static mirrors are left out:
 * they cannot answer {@code /{lang}/c/<code>}; the live servers ({@code chat-entry-points}) and the onion service can.
 */
@Component
class EntryPoints {

    /** What a WhatsApp link types for him: the same words as Telegram's deep link, so one rule reads both. */
    static final String WHATSAPP_START = "/start ";

    private final SiteSettings site;

    EntryPoints(SiteSettings site) {
        this.site = site;
    }

    List<EntryPoint> of(Campaign campaign) {
        var points = new ArrayList<EntryPoint>();
        var code = campaign.code();
        if (campaign.channels().contains("telegram")) {
            for (var bot : site.telegramBots()) {
                points.add(new EntryPoint("telegram", "@" + bot, "https://t.me/" + bot + "?start=" + code,
                        "telegram-" + safe(bot)));
            }
        }
        if (campaign.channels().contains("whatsapp")) {
            for (var number : site.whatsapp()) {
                var digits = digits(number);
                points.add(new EntryPoint("whatsapp", number, "https://wa.me/" + digits + "?text="
                        + URLEncoder.encode(WHATSAPP_START + code, StandardCharsets.UTF_8).replace("+", "%20"),
                        "whatsapp-" + digits));
            }
        }
        if (campaign.channels().contains("webchat")) {
            var hosts = new ArrayList<>(site.chatEntryPoints());
            if (site.onionUrl() != null) {
                hosts.add(site.onionUrl());
            }
            for (var host : hosts) {
                points.add(new EntryPoint("webchat", host.getHost(), link(host, campaign), "web-" + safe(host.getHost())));
            }
        }
        if (campaign.channels().contains("phone")) {
            for (var number : site.phones()) {
                var dialled = number.strip().startsWith("+") ? "+" + digits(number) : digits(number);
                points.add(new EntryPoint("phone", number, "tel:" + dialled, "phone-" + digits(number)));
            }
        }
        return unique(points);
    }

    /** Two chat entry points on one host (different paths) would otherwise write the same files. */
    private static List<EntryPoint> unique(List<EntryPoint> points) {
        var names = new HashSet<String>();
        var unique = new ArrayList<EntryPoint>();
        for (var point : points) {
            var name = point.fileName();
            for (var n = 2; !names.add(name); n++) {
                name = point.fileName() + "-" + n;
            }
            unique.add(new EntryPoint(point.channel(), point.target(), point.link(), name));
        }
        return List.copyOf(unique);
    }

    private static String link(URI host, Campaign campaign) {
        var base = host.getRawPath() == null || host.getRawPath().isEmpty() ? URI.create(host + "/")
                : host.getRawPath().endsWith("/") ? host : URI.create(host + "/");
        return base.resolve(campaign.language() + "/c/" + campaign.code()).toString();
    }

    private static String digits(String number) {
        return number.replaceAll("[^0-9]", "");
    }

    private static String safe(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
