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
        subcommands = {KeysCommand.Rotate.class, KeysCommand.Retire.class, KeysCommand.RotateIndex.class})
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

    @Command(name = "retire",
            mixinStandardHelpOptions = true,
            description = {
                    "Removes the master keys older than the primary from <data-dir>/keys/master-keyset.json, once no "
                            + "data key is wrapped under them (run `keys rotate` first); refuses otherwise and says "
                            + "why. A database backup taken before then opens only with a copy of the old keyset: "
                            + "destroy those copies too, and data deleted since is gone from that backup for good.",
                    "Refuses when the keysets come from configuration (lifeline.crypto.*): remove old keys in your "
                            + "secret store."
            })
    static final class Retire implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        Retire(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            var removed = context.bean(KeyRotation.class).retireOlderMasterKeys();
            var out = spec.commandLine().getOut();
            if (removed.isEmpty()) {
                out.println("Nothing to retire: the master keyset holds only its primary key.");
            } else {
                out.printf("Retired %d older master key(s): %s. Destroy every other copy of the old keyset "
                                + "(backups of <data-dir>/keys) too.%n", removed.size(),
                        removed.stream().map(id -> Long.toString(Integer.toUnsignedLong(id)))
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
            return 0;
        }
    }

    @Command(name = "rotate-index",
            mixinStandardHelpOptions = true,
            description = {
                    "Adds a new primary key to <data-dir>/keys/index-keyset.json and re-indexes every contact's "
                            + "channel id under it (their ids are stored encrypted). Older index keys stay: lookups "
                            + "try them, and web chat codenames, never stored, are found through them. Safe to run "
                            + "while servers are up, and to run again after an interruption.",
                    "With keysets from configuration (lifeline.crypto.*), add the new primary key to the index "
                            + "keyset in your secret store, restart the nodes, then run this to re-index."
            })
    static final class RotateIndex implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        RotateIndex(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            var changed = context.bean(KeyRotation.class).rotateIndexKey();
            var out = spec.commandLine().getOut();
            out.println("Blind-index key rotated.");
            changed.forEach((what, count) -> out.printf("  re-indexed %d %s%n", count, what));
            return 0;
        }
    }
}
