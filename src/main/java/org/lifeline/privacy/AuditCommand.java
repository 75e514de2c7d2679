package org.lifeline.privacy;

import java.util.concurrent.Callable;

import org.lifeline.platform.CommandContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit …}: checks the access record's hash chain. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        description = "Check the tamper-evident access record.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Head.class, AuditCommand.Seal.class})
public final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                    "Checks every entry of the access record against its hash chain, from the last retention "
                            + "checkpoint to the head. Exits 0 when intact; otherwise prints the first broken entry "
                            + "(altered, deleted, inserted or reordered) and exits 1.",
                    "With --head, also checks that the chain still passes through a head printed earlier by "
                            + "`audit head`: a record truncated and rebuilt from scratch fails this."
            })
    static final class Verify implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--head", paramLabel = "SEQ:HASH", description = "a head printed earlier by `audit head`")
        String head;

        Verify(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (head != null) {
                AccessChain.Head.parse(head);
            }
            var result = context.bean(AccessRecord.class).verify(head);
            var out = spec.commandLine().getOut();
            var unchained = result.unchained() == 0 ? ""
                    : " (" + result.unchained() + " older entries predate the chain and cannot be checked)";
            if (result.intact()) {
                out.printf("Access record intact: %d entries checked%s. Head %s%n", result.checked(), unchained,
                        result.head());
                return 0;
            }
            spec.commandLine().getErr().printf("Access record broken: %s%n", result.problem());
            return 1;
        }
    }

    @Command(name = "head",
            mixinStandardHelpOptions = true,
            description = {
                    "Prints the newest entry of the access record as <sequence>:<sha-256>. Keep it outside the "
                            + "database (a printout, another system, a message to the supervisor) and pass it to "
                            + "`audit verify --head` later."
            })
    static final class Head implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        Head(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(context.bean(AccessRecord.class).head());
            return 0;
        }
    }

    @Command(name = "seal",
            mixinStandardHelpOptions = true,
            description = {
                    "Seals the retention checkpoint and the entries from before the chain as they stand, with a "
                            + "keyed hash under the index key: afterwards, entries deleted from the start or inserted "
                            + "as older than the chain fail `audit verify`. A retention run seals what it cuts; this "
                            + "is for a record cut, or with older entries, before sealing existed, which verify "
                            + "reports as not sealed and retention leaves alone. Run `audit verify --head` with a "
                            + "head exported earlier first: what this seals is taken as it stands."
            })
    static final class Seal implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        Seal(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.bean(AccessRecord.class).seal();
            spec.commandLine().getOut().println("Access record checkpoint sealed.");
            return 0;
        }
    }
}
