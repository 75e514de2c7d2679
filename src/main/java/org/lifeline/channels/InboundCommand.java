package org.lifeline.channels;

import java.util.concurrent.Callable;

import org.lifeline.platform.CommandContext;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.AccessRecord.Outcome;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code inbound failed list}, {@code inbound failed retry ID} and {@code inbound failed discard ID}: the console's
 * page of updates set aside, on the server's command line, recorded in the access record as the page is (with no
 * operator: whoever runs commands on the server).
 */
@Command(name = "inbound",
        description = "Inbound updates: what the channels received and Lifeline stored.",
        mixinStandardHelpOptions = true,
        subcommands = InboundCommand.Failed.class)
public final class InboundCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "failed", mixinStandardHelpOptions = true,
            description = {"Updates set aside after failing on every attempt (their conversations went to the "
                    + "operators). What an update says is never shown."},
            subcommands = {Failed.ListFailed.class, Failed.Retry.class, Failed.Discard.class})
    static final class Failed implements Runnable {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        @Command(name = "list", mixinStandardHelpOptions = true,
                description = {"Lists them, the newest first, one a line: id, channel, endpoint, received, set aside "
                        + "(UTC), attempts, the failure's exception class, the conversation (or -), and whether what "
                        + "it said is kept to try again (kept) or was shredded with its day key (shredded)."})
        static final class ListFailed implements Callable<Integer> {

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @CommandLine.Option(names = "--most", defaultValue = "1000", paramLabel = "N",
                    description = "list at most N (default: ${DEFAULT-VALUE})")
            int most;

            private final CommandContext context;

            ListFailed(CommandContext context) {
                this.context = context;
            }

            @Override
            public Integer call() {
                context.bean(AccessRecord.class).record(null, "inbound.failed.read", null, Outcome.SUCCEEDED);
                var out = spec.commandLine().getOut();
                for (var u : context.bean(SetAsideUpdates.class).list(Math.max(1, most))) {
                    out.println(String.join("\t", Long.toString(u.id()), u.channel(), u.endpoint(),
                            u.receivedAt().toString(), u.setAsideAt() == null ? "-" : u.setAsideAt().toString(),
                            Integer.toString(u.attempts()), u.failure() == null ? "-" : u.failure(),
                            u.conversation() == null ? "-" : u.conversation().value().toString(),
                            u.payloadKept() ? "kept" : "shredded"));
                }
                return 0;
            }
        }

        @Command(name = "retry", mixinStandardHelpOptions = true,
                description = {"Puts an update back in the queue, its attempts cleared: a running server processes "
                        + "it before its sender's later updates still waiting, after those already handled. "
                        + "Exit 1 if no such update is set aside, or what it said was shredded."})
        static final class Retry extends OnOne {

            Retry(CommandContext context) {
                super(context, "retry");
            }

            @Override
            SetAsideUpdates.Outcome act(SetAsideUpdates updates, long id) {
                return updates.retry(id);
            }
        }

        @Command(name = "discard", mixinStandardHelpOptions = true,
                description = {"Deletes what an update said now and takes it off the list (its row, without it, "
                        + "goes with retention). Exit 1 if no such update is set aside."})
        static final class Discard extends OnOne {

            Discard(CommandContext context) {
                super(context, "discard");
            }

            @Override
            SetAsideUpdates.Outcome act(SetAsideUpdates updates, long id) {
                return updates.discard(id);
            }
        }

        /** An action on one update set aside, by its id. */
        abstract static class OnOne implements Callable<Integer> {

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Parameters(paramLabel = "ID", description = "the update's id, as inbound failed list prints it")
            long id;

            private final CommandContext context;
            private final String action;

            OnOne(CommandContext context, String action) {
                this.context = context;
                this.action = action;
            }

            abstract SetAsideUpdates.Outcome act(SetAsideUpdates updates, long id);

            @Override
            public Integer call() {
                return acted(context, spec, action, id, act(context.bean(SetAsideUpdates.class), id));
            }
        }

        /** Records the action, as the console does (refused when nothing was done), and says what became of it. */
        private static int acted(CommandContext context, CommandLine.Model.CommandSpec spec, String action, long id,
                SetAsideUpdates.Outcome outcome) {
            var done = outcome == SetAsideUpdates.Outcome.DONE;
            context.bean(AccessRecord.class).record(null, "inbound.failed." + action, Long.toString(id),
                    done ? Outcome.SUCCEEDED : Outcome.REFUSED);
            switch (outcome) {
                case DONE -> spec.commandLine().getErr().println(action.equals("retry")
                        ? "Update " + id + " is back in the queue." : "Update " + id + " was discarded.");
                case NOT_FOUND -> spec.commandLine().getErr().println("error: no update " + id + " is set aside");
                case PAYLOAD_GONE -> spec.commandLine().getErr().println(
                        "error: update " + id + " was shredded with its day key: there is nothing to try again");
            }
            return done ? 0 : 1;
        }
    }
}
