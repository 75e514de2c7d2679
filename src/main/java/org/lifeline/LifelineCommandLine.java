package org.lifeline;

import java.lang.reflect.Constructor;
import java.util.Set;

import org.lifeline.campaigns.CampaignsCommand;
import org.lifeline.channels.InboundCommand;
import org.lifeline.flows.FlowsCommand;
import org.lifeline.operators.UsersCommand;
import org.lifeline.platform.CommandContext;
import org.lifeline.platform.DatabaseCommand;
import org.lifeline.privacy.AuditCommand;
import org.lifeline.privacy.KeysCommand;
import org.lifeline.privacy.RetentionCommand;
import org.lifeline.site.SiteCommand;
import org.lifeline.telegram.TelegramCommand;
import org.springframework.core.NestedExceptionUtils;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line interface: {@code java -jar lifeline.jar <command> …}. Each module contributes its commands
 * as plain picocli classes; those that need services take a {@link CommandContext} in their constructor.
 */
@Command(name = "lifeline",
        mixinStandardHelpOptions = true,
        versionProvider = LifelineCommandLine.Version.class,
        description = {
                "Lifeline: an open platform for running a humanitarian surrender hotline.",
                // one line each, shorter than the 80 columns picocli wraps at: no option is cut in two
                "Without a command, runs the server; Spring Boot options apply,",
                "such as --server.port=8080.",
                "Commands read their configuration from the environment, as the server does:",
                "LIFELINE_DATA_DIR, SPRING_PROFILES_ACTIVE, SPRING_DATASOURCE_URL, ..."
        },
        subcommands = {
                AuditCommand.class,
                CampaignsCommand.class,
                DatabaseCommand.class,
                FlowsCommand.class,
                InboundCommand.class,
                KeysCommand.class,
                RetentionCommand.class,
                SiteCommand.class,
                TelegramCommand.class,
                UsersCommand.class,
                CommandLine.HelpCommand.class
        })
final class LifelineCommandLine implements Runnable {

    private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** True when the arguments name a command rather than server options. */
    static boolean isCommand(String[] args) {
        return args.length > 0 && (!args[0].startsWith("-") || TOP_LEVEL_OPTIONS.contains(args[0]));
    }

    /**
     * A word after options when no command comes first: the server takes only {@code --name=value} options and would
     * ignore it, so {@code --lifeline.data-dir=… users create …} would start a server (and print a setup token)
     * instead of creating the user.
     */
    static java.util.Optional<String> misplaced(String[] args) {
        if (isCommand(args)) {
            return java.util.Optional.empty();
        }
        return java.util.Arrays.stream(args).filter(arg -> !arg.startsWith("-")).findFirst();
    }

    static int execute(String[] args) {
        try (var context = new CommandContext(LifelineApplication.class)) {
            return commandLine(context).execute(args);
        }
    }

    static CommandLine commandLine(CommandContext context) {
        return new CommandLine(new LifelineCommandLine(), new Factory(context))
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    // the innermost cause says what went wrong, not which beans failed to start because of it
                    var cause = NestedExceptionUtils.getMostSpecificCause(ex);
                    cmd.getErr().println(cmd.getColorScheme().errorText("error: " + cause.getMessage()));
                    return 1;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Creates commands, handing the shared {@link CommandContext} to those that ask for it. */
    private record Factory(CommandContext context) implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                var parameters = constructor.getParameterTypes();
                if (parameters.length == 1 && parameters[0] == CommandContext.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(context));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var version = LifelineApplication.class.getPackage().getImplementationVersion();
            return new String[] {"Lifeline " + (version == null ? "(development build)" : version)};
        }
    }
}
