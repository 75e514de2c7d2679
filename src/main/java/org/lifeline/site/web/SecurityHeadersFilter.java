package org.lifeline.site.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.site.SiteLanguage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Headers that keep every response, pages, errors and the console alike, from loading or leaking anything:
 * nothing but our own stylesheet and images may load, no referrer leaves, no framing, no powerful browser features,
 * and nothing is cached unless the response says it is public. Set again on error dispatches, whose responses
 * may have been reset.
 */
class SecurityHeadersFilter extends OncePerRequestFilter {

    static final String POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    static final String SCRIPTED_POLICY = POLICY + "; script-src 'self'; connect-src 'self'";
    static final String PERMISSIONS = "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), "
            + "display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
            + "payment=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

    private final List<PathPattern> scripted;
    private final String onionOrigin;

    /**
     * @param scripted paths whose pages may run first-party scripts
     * @param onionOrigin {@code http://<onion>} to announce to Tor Browser on the public pages, or null
     */
    SecurityHeadersFilter(List<PathPattern> scripted, String onionOrigin) {
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
        var scriptAllowed = scripted.stream().anyMatch(pattern -> pattern.matches(path));
        response.setHeader("Content-Security-Policy", scriptAllowed ? SCRIPTED_POLICY : POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Permissions-Policy", PERMISSIONS);
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (onionOrigin != null && isPublic(path)) {
            response.setHeader("Onion-Location", onionOrigin + path.value());
        }
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
