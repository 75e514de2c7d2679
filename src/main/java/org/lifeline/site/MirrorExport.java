package org.lifeline.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * The static mirror kit: the public pages of every language as files with relative links, the stylesheet and the
 * signed channel list, for hosting on throwaway mirrors. The pages send people to chat on the configured live
 * entry points, since a static host has no chat of its own.
 */
@Component
class MirrorExport {

    static final String ASSETS = "classpath:site/assets/*";

    private final PublicPages pages;
    private final ITemplateEngine templates;
    private final ChannelList channelList;
    private final MessageSource messages;

    MirrorExport(PublicPages pages, ITemplateEngine templates, ChannelList channelList, MessageSource messages) {
        this.pages = pages;
        this.templates = templates;
        this.channelList = channelList;
        this.messages = messages;
    }

    /** Writes the kit into {@code dir}, replacing files of the same names; returns the files written. */
    List<Path> export(Path dir) {
        var written = new ArrayList<Path>();
        for (var language : SiteLanguage.all()) {
            for (var page : SitePage.values()) {
                var links = SiteLinks.exported(language, page.path());
                var file = dir.resolve(language.code()).resolve(links.page(page.path()));
                written.add(write(file, render(page.template(), language, pages.model(links))));
            }
        }
        written.add(write(dir.resolve("index.html"), render("site/languages", SiteLanguage.FALLBACK,
                Map.of("choices", choices(), "metaPolicy", ContentSecurityPolicy.MIRROR_META))));
        written.add(write(dir.resolve(".well-known/lifeline-channels.json"), channelList.document()));
        written.add(write(dir.resolve(".well-known/lifeline-channels.pub.json"), channelList.publicKeyset()));
        written.addAll(copyAssets(dir.resolve("assets")));
        return written;
    }

    /** The static entry page: a static host cannot choose a language from the browser's, so the visitor does. */
    private List<Choice> choices() {
        return SiteLanguage.all().stream()
                .map(language -> new Choice(language, language.code() + "/index.html",
                        pages.serviceName(language),
                        messages.getMessage("site.tagline", null, language.locale())))
                .toList();
    }

    record Choice(SiteLanguage language, String href, String name, String tagline) {
    }

    private String render(String template, SiteLanguage language, Map<String, Object> model) {
        return templates.process(template, new Context(language.locale(), model));
    }

    private List<Path> copyAssets(Path dir) {
        try {
            var copied = new ArrayList<Path>();
            for (var asset : new PathMatchingResourcePatternResolver(getClass().getClassLoader()).getResources(ASSETS)) {
                try (var in = asset.getInputStream()) {
                    var file = dir.resolve(asset.getFilename());
                    Files.createDirectories(dir);
                    Files.write(file, in.readAllBytes());
                    copied.add(file);
                }
            }
            return copied;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the site's assets into " + dir, e);
        }
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
