package org.lifeline.console.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The console's sessions live in the database ({@link ConsoleSessions}), through Spring Session's filter, on the
 * console's and the management endpoints' paths only: the public site, the web chat and the webhooks never look a
 * session up nor start one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableSpringHttpSession
class ConsoleSessionConfiguration {

    static final String COOKIE = "lifeline_console";

    /**
     * The session cookie as the servlet container's was: HTTP only, same site only, and secure where
     * {@code server.servlet.session.cookie.secure} says so (the {@code prod} profile), otherwise over HTTPS.
     */
    @Bean
    CookieSerializer consoleSessionCookie(
            @Value("${server.servlet.session.cookie.secure:#{null}}") Boolean secure) {
        var cookie = new DefaultCookieSerializer();
        cookie.setCookieName(COOKIE);
        cookie.setCookiePath("/");
        cookie.setUseHttpOnlyCookie(true);
        cookie.setSameSite("Strict");
        // the id as it is: nothing to decode (and so nothing a forged value could make the decoder log)
        cookie.setUseBase64Encoding(false);
        if (secure != null) {
            cookie.setUseSecureCookie(secure);
        }
        return cookie;
    }

    @Bean
    FilterRegistrationBean<SessionRepositoryFilter<?>> consoleSessionFilter(SessionRepositoryFilter<?> filter) {
        var registration = new FilterRegistrationBean<SessionRepositoryFilter<?>>(filter);
        registration.addUrlPatterns("/console/*", "/actuator/*");
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER);
        return registration;
    }
}
