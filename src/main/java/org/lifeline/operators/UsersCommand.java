package org.lifeline.operators;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.concurrent.Callable;

import org.lifeline.platform.CommandContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code users …}: operator accounts from the command line. */
@Command(name = "users",
        mixinStandardHelpOptions = true,
        description = "Manage operator accounts (the console's user administration does more).",
        subcommands = UsersCommand.Create.class)
public final class UsersCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create",
            mixinStandardHelpOptions = true,
            description = {
                    "Creates an operator account with its second factor set up, and prints the otpauth:// URI to "
                            + "add to an authenticator app and the one-time recovery codes. Both are shown only now: "
                            + "hand them over in person and clear the terminal.",
                    "The password is read from the first line of standard input, never from the command line."
            })
    static final class Create implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--username", required = true, description = "3 to 64 of a-z 0-9 . - _ (a pseudonym)")
        String username;

        @Option(names = "--role", required = true, description = "one of ${COMPLETION-CANDIDATES}")
        Role role;

        @Option(names = "--password-stdin", required = true, description = "read the password from standard input")
        boolean passwordStdin;

        Create(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws IOException {
            var password = new BufferedReader(new InputStreamReader(System.in, UTF_8)).readLine();
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("no password on standard input");
            }
            var created = context.bean(OperatorAdministration.class).createEnrolled(username, role, password);
            var out = spec.commandLine().getOut();
            out.printf("Created operator %s (%s).%n%n", created.operator().username(), created.operator().role());
            out.printf("Second factor: add this to an authenticator app (or turn it into a QR code on this machine):%n"
                    + "%s%n%n", created.enrolment().uri());
            out.printf("Recovery codes, each usable once instead of a code; keep them apart from the phone:%n");
            created.enrolment().recoveryCodes().forEach(code -> out.printf("  %s%n", code));
            out.flush();
            return 0;
        }
    }
}
