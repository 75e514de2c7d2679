package org.lifeline.privacy;

import java.util.concurrent.Callable;

import org.lifeline.platform.CommandContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code retention …}: removing data once its retention period is over. */
@Command(name = "retention",
        mixinStandardHelpOptions = true,
        description = "Remove data whose retention period is over (the server also does this once a day).",
        subcommands = RetentionCommand.Run.class)
public final class RetentionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run",
            mixinStandardHelpOptions = true,
            description = {
                    "Removes every kind of data older than its period (lifeline.retention.periods.<kind>, see the "
                            + "README) and prints, per kind, the period and how many items went. Anonymous counts of "
                            + "what went are kept for reports.",
                    "With --dry-run, removes nothing and prints what would go."
            })
    static final class Run implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--dry-run", description = "only count what would be removed")
        boolean dryRun;

        Run(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var results = context.bean(Retention.class).run(dryRun);
            out.println(dryRun ? "Dry run: nothing removed." : "Retention run:");
            for (var result : results) {
                out.printf("  %-18s kept %-6s %s %d  (%s)%n", result.kind(), days(result.period()),
                        dryRun ? "would remove" : "removed", result.removed(), result.description());
            }
            return 0;
        }

        private static String days(java.time.Duration period) {
            return period.toHours() % 24 == 0 ? period.toDays() + "d" : period.toString();
        }
    }
}
