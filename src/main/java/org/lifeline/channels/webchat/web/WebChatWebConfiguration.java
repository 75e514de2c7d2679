package org.lifeline.channels.webchat.web;

import java.time.Duration;
import java.util.List;

import org.lifeline.site.ScriptedPages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebChatWebConfiguration implements WebMvcConfigurer {

    /** The chat pages may run the first-party script that solves the start challenge and follows the chat live. */
    @Bean
    ScriptedPages webChatScriptedPages() {
        return new ScriptedPages(List.of("/*/chat", "/*/chat/**"));
    }

    /** The script, from the jar; the most specific pattern wins over the site's {@code /assets/**}. */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/chat/**").addResourceLocations("classpath:/webchat/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic());
    }
}
