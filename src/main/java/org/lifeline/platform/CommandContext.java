package org.lifeline.platform;

import java.util.Set;

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
    /** The system properties there were before the context started, to put back at close. */
    private Set<String> propertiesBefore;

    public CommandContext(Class<?> application) {
        this.application = application;
    }

    public synchronized <T> T bean(Class<T> type) {
        return bean(type, new String[0]);
    }

    /**
     * A service, the context started with these {@code --name=value} settings too if it is not started yet (such as
     * the data directory a command was given).
     */
    public synchronized <T> T bean(Class<T> type, String... settings) {
        if (context == null) {
            propertiesBefore = System.getProperties().stringPropertyNames();
            try {
                context = new SpringApplicationBuilder(application)
                        .web(WebApplicationType.NONE)
                        .bannerMode(Banner.Mode.OFF)
                        .logStartupInfo(false)
                        // as command-line arguments, so that they win over the configuration (a server's JSON logs)
                        .run(java.util.stream.Stream.concat(java.util.Arrays.stream(COMMAND_SETTINGS),
                                java.util.Arrays.stream(settings)).toArray(String[]::new));
            } catch (RuntimeException e) {
                // a start that failed has set its logging properties all the same
                restoreProperties();
                throw explained(e);
            }
        }
        return context.getBean(type);
    }

    /**
     * Commands print their result, and their errors as one line: no log lines but errors, none in JSON, and no
     * report of a failed start (the command says what failed).
     */
    private static final String[] COMMAND_SETTINGS = {
            "--lifeline.background-work=false",
            "--logging.level.root=ERROR",
            // standard output is the command's result (`audit head > head.txt`): warnings stay out of it
            "--logging.threshold.console=ERROR",
            "--logging.structured.format.console=",
            "--logging.level.org.springframework.boot.SpringApplication=OFF",
            "--logging.level.org.springframework.boot.diagnostics=OFF",
            "--logging.level.com.zaxxer.hikari=OFF"};

    private static RuntimeException explained(RuntimeException failure) {
        if (Databases.inUseElsewhere(failure)) {
            return new IllegalStateException("the embedded database is in use by a running Lifeline server; "
                    + "stop the server, run this command, then start the server again "
                    + "(or run on PostgreSQL, where commands and servers share the database)");
        }
        return failure;
    }

    /**
     * Closes the context and takes back the system properties its start set: Spring Boot's logging keeps its settings
     * there ({@code CONSOLE_LOG_THRESHOLD} and the like) and never overwrites them, so a command run inside a longer
     * process (a test run) would otherwise leave every later context logging errors only.
     */
    @Override
    public synchronized void close() {
        if (context != null) {
            context.close();
            context = null;
            restoreProperties();
        }
    }

    private void restoreProperties() {
        for (var name : System.getProperties().stringPropertyNames()) {
            if (!propertiesBefore.contains(name)) {
                System.clearProperty(name);
            }
        }
    }
}
