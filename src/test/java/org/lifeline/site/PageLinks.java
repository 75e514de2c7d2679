package org.lifeline.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** Reads a page's or stylesheet's addresses and checks that none of them leads off the site. */
final class PageLinks {

    /** Attributes that make a browser load or send something. */
    static final List<String> RESOURCE_ATTRIBUTES = List.of("src", "srcset", "action", "formaction", "poster", "data",
            "background", "manifest", "icon", "ping");

    private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*['\"]?([^'\")]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CSS_IMPORT = Pattern.compile("@import\\s+(?:url\\()?\\s*['\"]?([^'\")\\s;]*)", Pattern.CASE_INSENSITIVE);

    private PageLinks() {
    }

    static Document parse(String html) {
        return Jsoup.parse(html);
    }

    /**
     * Checks a page: resources and forms relative to the page; links relative too, except to one of our official
     * channels; no inline script or style at all (the Content-Security-Policy would block them anyway).
     *
     * @param rootRelative whether addresses may start at the server's root: only for error pages, whose depth
     *        is unknown
     * @return the page's relative addresses, to follow
     */
    static List<String> checkPage(String name, Document page, Set<String> officialLinks, boolean rootRelative) {
        var relative = new ArrayList<String>();
        for (var element : page.getAllElements()) {
            for (var attribute : RESOURCE_ATTRIBUTES) {
                if (element.hasAttr(attribute)) {
                    for (var address : addresses(attribute, element.attr(attribute))) {
                        assertThat(isLocal(address, rootRelative)).as("%s: %s=\"%s\"", name, attribute, address).isTrue();
                        relative.add(address);
                    }
                }
            }
            if (element.hasAttr("href")) {
                var href = element.attr("href");
                if (element.tagName().equals("a") && officialLinks.contains(href)) {
                    continue;
                }
                assertThat(isLocal(href, rootRelative)).as("%s: <%s href=\"%s\">", name, element.tagName(), href).isTrue();
                relative.add(href);
            }
            assertThat(element.hasAttr("style")).as("%s: inline style on <%s>", name, element.tagName()).isFalse();
            assertThat(element.attributes().asList())
                    .as("%s: event handler on <%s>", name, element.tagName())
                    .noneMatch(attribute -> attribute.getKey().startsWith("on"));
        }
        assertThat(page.select("script, style, iframe, object, embed")).as("%s: script, style or frame", name).isEmpty();
        return relative;
    }

    static void checkStylesheet(String name, String css) {
        for (var pattern : List.of(CSS_URL, CSS_IMPORT)) {
            var matcher = pattern.matcher(css);
            while (matcher.find()) {
                assertThat(isLocal(matcher.group(1), false)).as("%s: %s", name, matcher.group()).isTrue();
            }
        }
    }

    /**
     * No scheme and no host; and unless {@code rootRelative}, not even the root: relative to the page, so that it
     * works on any host and under any path.
     */
    static boolean isLocal(String address, boolean rootRelative) {
        var uri = URI.create(address.strip());
        return !uri.isAbsolute() && uri.getRawAuthority() == null && (rootRelative || !address.strip().startsWith("/"));
    }

    private static List<String> addresses(String attribute, String value) {
        if (!attribute.equals("srcset")) {
            return List.of(value);
        }
        return java.util.Arrays.stream(value.split(",")).map(candidate -> candidate.strip().split("\\s+")[0]).toList();
    }
}
