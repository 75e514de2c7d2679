package org.lifeline.platform;

import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gives command-line commands the application's services. The Spring context starts only when a command
 * first asks for a service, so {@code --help} and commands that need no database stay fast and touch nothing.
 * It starts without the web server and without background work.
 */
public final class CommandContext implements AutoCloseable {

    private final Class<?> application;
    private ConfigurableApplicationContext context;

    public CommandContext(Class<?> application) {
        this.application = application;
    }

    public synchronized <T> T bean(Class<T> type) {
        if (context == null) {
            context = new SpringApplicationBuilder(application)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .properties(Map.of(
                            "lifeline.background-work", "false",
                            "logging.level.root", "WARN",
                            "logging.structured.format.console", ""))
                    .run();
        }
        return context.getBean(type);
    }

    @Override
    public synchronized void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
