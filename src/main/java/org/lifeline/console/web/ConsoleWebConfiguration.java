package org.lifeline.console.web;

import java.util.List;

import org.lifeline.site.ScriptedPages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The console's own stylesheet and script, served from the jar (Boot's default static locations are switched off),
 * the console's pages declared as running that script, so the site-wide policy lets it load, and each page in the
 * operator's language.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration implements WebMvcConfigurer {

    private final ConsoleLanguage language;

    ConsoleWebConfiguration(ConsoleLanguage language) {
        this.language = language;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(language).addPathPatterns("/console", "/console/**");
    }

    @Bean
    ScriptedPages consoleScript() {
        // voice notes play on the case page
        return new ScriptedPages(List.of("/console", "/console/**"), true);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/assets/**").addResourceLocations("classpath:/static/console/assets/");
    }
}
