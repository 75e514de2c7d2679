package org.lifeline.site.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.site.ContentSecurityPolicy;
import org.lifeline.site.SiteLanguage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Headers that keep every response, pages, errors and the console alike, from loading or leaking anything:
 * nothing but our own stylesheet and images may load, no referrer leaves, no framing, no powerful browser features,
 * and nothing is cached unless the response says it is public; over HTTPS, browsers are told to stay on it (HSTS). Set again on error dispatches, whose responses
 * may have been reset.
 */
class SecurityHeadersFilter extends OncePerRequestFilter {

    static final String PERMISSIONS = "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), "
            + "display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
            + "payment=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

    static final String HSTS = "max-age=31536000";
    private static final PathPattern CHAT = org.springframework.web.util.pattern.PathPatternParser.defaultInstance
            .parse("/{lang}/chat/**");

    /** Paths whose pages may run first-party scripts, and whether they may also play first-party media. */
    record Scripted(PathPattern pattern, boolean media) {
    }

    private final List<Scripted> scripted;
    private final String onionOrigin;

    /**
     * @param scripted paths whose pages may run first-party scripts
     * @param onionOrigin {@code http://<onion>} to announce to Tor Browser on the public pages, or null
     */
    SecurityHeadersFilter(List<Scripted> scripted, String onionOrigin) {
        this.scripted = scripted;
        this.onionOrigin = onionOrigin;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        apply(request, response);
        chain.doFilter(request, response);
    }

    @Override
    protected void doFilterNestedErrorDispatch(HttpServletRequest request, HttpServletResponse response,
                                               FilterChain chain) throws ServletException, IOException {
        apply(request, response);
        chain.doFilter(request, response);
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    private void apply(HttpServletRequest request, HttpServletResponse response) {
        var path = PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
        apply(response, scripted.stream().filter(s -> s.pattern().matches(path)).findFirst()
                .map(s -> s.media() ? ContentSecurityPolicy.SCRIPTED_PAGES_WITH_MEDIA : ContentSecurityPolicy.SCRIPTED_PAGES)
                .orElse(ContentSecurityPolicy.PAGES));
        if (request.isSecure()) {
            // arrived over TLS, to us or to a trusted proxy in front (server.tomcat.remoteip.*): stay on it
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        if (chat(path)) {
            // the chat's forms check Origin or Referer where a browser sends no Sec-Fetch-Site: an old browser
            // sends them to us only, never to another site
            response.setHeader("Referrer-Policy", "same-origin");
        }
        if (onionOrigin != null && isPublic(path)) {
            response.setHeader("Onion-Location", onionOrigin + path.value());
        }
    }

    /** The headers every response carries whatever its path, with the given policy; also for the container's own errors. */
    static void apply(HttpServletResponse response, String contentSecurityPolicy) {
        response.setHeader("Content-Security-Policy", contentSecurityPolicy);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Permissions-Policy", PERMISSIONS);
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static boolean chat(PathContainer path) {
        var matched = CHAT.matchAndExtract(path);
        return matched != null && SiteLanguage.fromCode(matched.getUriVariables().get("lang")).isPresent();
    }

    /** The public site and whatever lives under a language (the web chat): never the console or webhooks. */
    private static boolean isPublic(PathContainer path) {
        var elements = path.elements();
        if (elements.size() <= 1) {
            return true;
        }
        var first = elements.get(1).value();
        return SiteLanguage.fromCode(first).isPresent() || ".well-known".equals(first);
    }
}
