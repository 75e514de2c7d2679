package org.lifeline.site;

import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * What the layout ({@code templates/site/layout.html}) and the pages need to render: the same for live pages,
 * exported pages and any other page under {@code /{lang}/} (the web chat) that uses the layout.
 */
@Component
public class PublicPages {

    private final SiteSettings settings;

    PublicPages(SiteSettings settings) {
        this.settings = settings;
    }

    /** Model attributes {@code site} (the page's relative links) and {@code channels} (the official channels). */
    public Map<String, Object> model(SiteLinks links) {
        return Map.of("site", links, "channels", ChannelLinks.of(settings, links.language()));
    }
}
