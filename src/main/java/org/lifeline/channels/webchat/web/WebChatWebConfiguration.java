package org.lifeline.channels.webchat.web;

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
     * in his browser. Browsers that do not send {@code Sec-Fetch-Site} are let through.
     */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws IOException {
                var site = request.getHeader("Sec-Fetch-Site");
                if ("POST".equals(request.getMethod()) && ("cross-site".equals(site) || "same-site".equals(site))) {
                    response.sendError(HttpStatus.FORBIDDEN.value());
                    return false;
                }
                return true;
            }
        }).addPathPatterns("/*/chat");
    }

    /** The script, from the jar; the most specific pattern wins over the site's {@code /assets/**}. */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/chat/**").addResourceLocations("classpath:/webchat/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic());
    }
}
