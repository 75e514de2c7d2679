package org.lifeline.site;

import java.util.List;

/**
 * Links from a page under {@code /{lang}/} to the rest of the site, all relative to that page. So a page never
 * names the host it was asked for: the same bytes work on any mirror host name, over Tor, under a mirror's
 * sub-directory and as a static file. Live pages have clean names ({@code surrender}); exported pages are files
 * ({@code surrender.html}), which any static host and a browser opening a file understand.
 *
 * @param language the page's language
 * @param page the page's path under {@code /{lang}/}: a {@link SitePage#path()}, or e.g. {@code chat}
 * @param exported whether the page is written as a static file of the mirror kit
 */
public record SiteLinks(SiteLanguage language, String page, boolean exported) {

    public static SiteLinks live(SiteLanguage language, String page) {
        return new SiteLinks(language, page, false);
    }

    static SiteLinks exported(SiteLanguage language, String page) {
        return new SiteLinks(language, page, true);
    }

    /** The language's home page. */
    public String home() {
        return file("");
    }

    /** A page of the same language, by its path under {@code /{lang}/} ({@link SitePage#path()}). */
    public String page(String path) {
        return file(path);
    }

    /** This page in another language. */
    public String inLanguage(SiteLanguage other) {
        return "../" + other.code() + "/" + (exported ? file(page) : page);
    }

    public String asset(String name) {
        return "../assets/" + name;
    }

    public String channelList() {
        return "../.well-known/lifeline-channels.json";
    }

    public String publicKey() {
        return "../.well-known/lifeline-channels.pub.json";
    }

    public boolean isCurrent(SitePage target) {
        return target.path().equals(page);
    }

    public List<SitePage> sections() {
        return List.of(SitePage.values());
    }

    public List<SiteLanguage> languages() {
        return SiteLanguage.all();
    }

    /** The policy an exported page carries in a meta element (a static host may not send ours); null when live. */
    public String metaPolicy() {
        return exported ? ContentSecurityPolicy.MIRROR_META : null;
    }

    private String file(String path) {
        if (exported) {
            return (path.isEmpty() ? "index" : path) + ".html";
        }
        return path.isEmpty() ? "./" : path;
    }
}
