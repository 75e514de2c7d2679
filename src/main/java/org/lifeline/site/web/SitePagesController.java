package org.lifeline.site.web;

import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.site.PublicPages;
import org.lifeline.site.SiteLanguage;
import org.lifeline.site.SiteLinks;
import org.lifeline.site.SitePage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.server.ResponseStatusException;

/**
 * The public pages. Redirects carry relative locations ({@code ru/}), so they too work on any host and under a
 * mirror's sub-directory.
 */
@Controller
class SitePagesController {

    /** A language code, so that {@code /assets/…} and other top-level paths never look like a language. */
    private static final String LANGUAGE = "[a-z]{2,3}";

    private final PublicPages pages;

    SitePagesController(PublicPages pages) {
        this.pages = pages;
    }

    /** Not cacheable (the security headers say no-store): the answer depends on the visitor's browser. */
    @GetMapping("/")
    ResponseEntity<Void> chooseLanguage(@RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String accept) {
        return ResponseEntity.status(HttpStatus.FOUND)
                .header(HttpHeaders.LOCATION, SiteLanguage.negotiate(accept).code() + "/")
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE)
                .build();
    }

    /** The pages link relatively, which needs the trailing slash. */
    @GetMapping("/{lang:" + LANGUAGE + "}")
    ResponseEntity<Void> languageHome(@PathVariable String lang) {
        return ResponseEntity.status(HttpStatus.MOVED_PERMANENTLY)
                .header(HttpHeaders.LOCATION, language(lang).code() + "/")
                .build();
    }

    @GetMapping({"/{lang:" + LANGUAGE + "}/", "/{lang:" + LANGUAGE + "}/{page}"})
    String page(@PathVariable String lang, @PathVariable(required = false) String page, Model model,
                HttpServletResponse response) {
        var language = language(lang);
        var sitePage = page == null ? SitePage.HOME : SitePage.fromPath(page)
                .filter(found -> found != SitePage.HOME)
                .orElseThrow(SitePagesController::notFound);
        model.addAllAttributes(pages.model(SiteLinks.live(language, sitePage.path())));
        response.setHeader(HttpHeaders.CACHE_CONTROL, SiteWebConfiguration.PUBLIC.getHeaderValue());
        return sitePage.template();
    }

    private static SiteLanguage language(String code) {
        return SiteLanguage.fromCode(code).orElseThrow(SitePagesController::notFound);
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
}
