package org.lifeline.site.web;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.platform.RequestLanguage;
import org.lifeline.site.ScriptedPages;
import org.lifeline.site.SiteLanguage;
import org.lifeline.site.SiteSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.pattern.PathPatternParser;

@Configuration(proxyBeanMethods = false)
class SiteWebConfiguration implements WebMvcConfigurer {

    /**
     * Public pages, the stylesheet and the channel list: shared caches (a mirror's proxy) may keep them, briefly, so
     * that a channel we withdraw disappears from them soon.
     */
    static final CacheControl PUBLIC = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

    /** Only the site's own assets are served: Boot's default static locations (and webjars) are switched off. */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**").addResourceLocations("classpath:/site/assets/").setCacheControl(PUBLIC);
    }

    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter(SiteSettings settings,
                                                                        ObjectProvider<ScriptedPages> scriptedPages) {
        var scripted = scriptedPages.orderedStream()
                .flatMap(pages -> pages.pathPatterns().stream().map(pattern -> new SecurityHeadersFilter.Scripted(
                        PathPatternParser.defaultInstance.parse(pattern), pages.media())))
                .toList();
        var onion = settings.onionAddress() == null ? null : "http://" + settings.onionAddress();
        var registration = new FilterRegistrationBean<>(new SecurityHeadersFilter(List.copyOf(scripted), onion));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** The container's own error answers: no report, no server name, our security headers. */
    @Bean
    ContainerErrors containerErrors() {
        return new ContainerErrors();
    }

    /**
     * {@code /error} is where failed requests are shown, not a page: asked for directly, it is not found (rather than
     * Boot's answer of status 999 as a 500).
     */
    @Bean
    FilterRegistrationBean<jakarta.servlet.Filter> errorPathNotAPage() {
        var registration = new FilterRegistrationBean<jakarta.servlet.Filter>((request, response, chain) ->
                ((HttpServletResponse) response).sendError(HttpServletResponse.SC_NOT_FOUND));
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.addUrlPatterns("/error", "/error/*");
        return registration;
    }

    /**
     * A module's choice for the request first ({@link RequestLanguage}: the console speaks the operator's language);
     * pages under {@code /{lang}/} speak their path's language; anything else the browser's best match.
     */
    @Bean
    LocaleResolver localeResolver() {
        return new LocaleResolver() {
            @Override
            public Locale resolveLocale(HttpServletRequest request) {
                if (request.getAttribute(RequestLanguage.ATTRIBUTE) instanceof Locale chosen) {
                    return chosen;
                }
                var path = request.getRequestURI().substring(request.getContextPath().length());
                var segments = path.split("/", 3);
                var language = segments.length > 1 ? SiteLanguage.fromCode(segments[1]) : Optional.<SiteLanguage>empty();
                return language.orElseGet(() -> SiteLanguage.negotiate(request.getHeader(HttpHeaders.ACCEPT_LANGUAGE)))
                        .locale();
            }

            @Override
            public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
                throw new UnsupportedOperationException("The language is chosen by the page's path");
            }
        };
    }
}
