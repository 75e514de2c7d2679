package org.lifeline.privacy;

import java.util.concurrent.Callable;

import org.lifeline.platform.CommandContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code keys …}: encryption key administration. */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage the encryption keys.",
        subcommands = KeysCommand.Rotate.class)
public final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "rotate",
            mixinStandardHelpOptions = true,
            description = {
                    "Adds a new primary master key to <data-dir>/keys/master-keyset.json and re-wraps every data key "
                            + "under it. Old master keys stay in the keyset. Safe to run while servers are up, and to "
                            + "run again after an interruption.",
                    "Refuses when the keysets come from configuration (lifeline.crypto.*): rotate those in your "
                            + "secret store."
            })
    static final class Rotate implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        Rotate(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            var result = context.bean(KeyRotation.class).rotateMasterKey();
            spec.commandLine().getOut().printf(
                    "Master key rotated: new primary key %d. Re-wrapped %d data keys (%d destroyed data keys have "
                            + "nothing to re-wrap).%n",
                    Integer.toUnsignedLong(result.primaryKeyId()), result.rewrapped(), result.destroyed());
            return 0;
        }
    }
}
