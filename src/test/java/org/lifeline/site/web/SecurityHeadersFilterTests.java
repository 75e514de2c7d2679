package org.lifeline.site.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.lifeline.site.ContentSecurityPolicy;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.util.pattern.PathPatternParser;

class SecurityHeadersFilterTests {

    private final SecurityHeadersFilter filter = new SecurityHeadersFilter(
            List.of(new SecurityHeadersFilter.Scripted(PathPatternParser.defaultInstance.parse("/*/chat/**"), false),
                    new SecurityHeadersFilter.Scripted(PathPatternParser.defaultInstance.parse("/console/**"), true)),
            "http://example.onion");

    @Test
    void forbidsScriptsEverywhereButOnPagesThatDeclareThem() throws Exception {
        assertThat(get("/ru/").getHeader("Content-Security-Policy")).isEqualTo(ContentSecurityPolicy.PAGES)
                .isEqualTo("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                        + "frame-ancestors 'none'; base-uri 'none'");
        assertThat(get("/ko/chat/new").getHeader("Content-Security-Policy")).isEqualTo(ContentSecurityPolicy.PAGES
                + "; script-src 'self'; connect-src 'self'").doesNotContain("media-src");
    }

    @Test
    void letsOnlyPagesThatDeclareMediaPlayIt() throws Exception {
        assertThat(get("/console/cases/1").getHeader("Content-Security-Policy"))
                .isEqualTo("default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self'; "
                        + "frame-ancestors 'none'; base-uri 'none'; script-src 'self'; connect-src 'self'");
    }

    @Test
    void announcesTheOnionOnlyOnThePublicSite() throws Exception {
        assertThat(get("/ko/surrender").getHeader("Onion-Location")).isEqualTo("http://example.onion/ko/surrender");
        assertThat(get("/").getHeader("Onion-Location")).isEqualTo("http://example.onion/");
        assertThat(get("/console/cases").getHeader("Onion-Location")).isNull();
        assertThat(get("/webhooks/telegram/bot").getHeader("Onion-Location")).isNull();
    }

    @Test
    void nothingIsCacheableUnlessTheResponseSaysItIsPublic() throws Exception {
        assertThat(get("/console/cases").getHeader("Cache-Control")).isEqualTo("no-store");
    }

    private MockHttpServletResponse get(String path) throws Exception {
        var response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", path), response, new MockFilterChain());
        return response;
    }
}
