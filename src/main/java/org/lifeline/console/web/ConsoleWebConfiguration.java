package org.lifeline.console.web;

import java.util.List;

import org.lifeline.site.ScriptedPages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The console's own stylesheet and script, served from the jar (Boot's default static locations are switched off),
 * and the console's pages declared as running that script, so the site-wide policy lets it load.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration implements WebMvcConfigurer {

    @Bean
    ScriptedPages consoleScript() {
        return new ScriptedPages(List.of("/console", "/console/**"));
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/assets/**").addResourceLocations("classpath:/static/console/assets/");
    }
}
