package org.lifeline.webchat.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.site.ScriptedPages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebChatWebConfiguration implements WebMvcConfigurer {

    /** The chat pages may run the first-party script that solves the start challenge and follows the chat live. */
    @Bean
    ScriptedPages webChatScriptedPages() {
        return new ScriptedPages(List.of("/*/chat", "/*/chat/**"));
    }

    /**
     * Forms of the chat are posted only from its own pages. The cookie's {@code SameSite=Strict} already keeps
     * another site from posting in his name; this also keeps it from starting or resuming a chat of its choosing
     * in his browser (login CSRF) or making him leave. Browsers that send no {@code Sec-Fetch-Site} (older ones) are
     * judged by {@code Origin}, else {@code Referer} (the chat's pages send both to themselves only): a post that
     * names no origin of this host is refused.
     */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws IOException {
                if ("POST".equals(request.getMethod()) && !fromThisSite(request)) {
                    response.sendError(HttpStatus.FORBIDDEN.value());
                    return false;
                }
                return true;
            }
        }).addPathPatterns("/*/chat");
    }

    static boolean fromThisSite(HttpServletRequest request) {
        var site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return "same-origin".equals(site) || "none".equals(site);
        }
        var origin = request.getHeader("Origin");
        if (origin != null) {
            return sameHost(origin, request);
        }
        var referer = request.getHeader("Referer");
        return referer != null && sameHost(referer, request);
    }

    /** Whether an Origin or Referer names the host this request was sent to ("null" and garbage name none). */
    private static boolean sameHost(String address, HttpServletRequest request) {
        try {
            var host = java.net.URI.create(address.strip()).getHost();
            return host != null && host.equalsIgnoreCase(request.getServerName());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The script, from the jar; the most specific pattern wins over the site's {@code /assets/**}. */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/chat/**").addResourceLocations("classpath:/webchat/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic());
    }
}
