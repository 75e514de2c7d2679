package org.lifeline.site;

import java.util.Map;

import org.lifeline.platform.ServiceName;
import org.springframework.stereotype.Component;

/**
 * What the layout ({@code templates/site/layout.html}) and the pages need to render: the same for live pages,
 * exported pages and any other page under {@code /{lang}/} (the web chat) that uses the layout.
 */
@Component
public class PublicPages {

    private final SiteSettings settings;
    private final ServiceName serviceName;
    private final ChannelList channelList;

    PublicPages(SiteSettings settings, ServiceName serviceName, ChannelList channelList) {
        this.settings = settings;
        this.serviceName = serviceName;
        this.channelList = channelList;
    }

    /**
     * Model attributes {@code site} (the page's relative links), {@code channels} (the official channels),
     * {@code serviceName} (the configured name in the page's language) and {@code signingKey} (the fingerprint of
     * the key that signs the channel list).
     */
    public Map<String, Object> model(SiteLinks links) {
        return Map.of("site", links, "channels", ChannelLinks.of(settings, links.language()),
                "serviceName", serviceName(links.language()), "signingKey", channelList.fingerprint());
    }

    /** The service's configured name in a language. */
    public String serviceName(SiteLanguage language) {
        return serviceName.in(language.code());
    }
}
