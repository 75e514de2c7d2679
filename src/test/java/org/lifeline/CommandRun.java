package org.lifeline;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.lifeline.platform.CommandContext;

/** A command run as {@code java -jar lifeline.jar <args>} runs it, but in this JVM: its exit code and output. */
record CommandRun(int exit, String out, String err) {

    static CommandRun of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        try (var context = new CommandContext(LifelineApplication.class)) {
            var exit = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out))
                    .setErr(new PrintWriter(err)).execute(args);
            return new CommandRun(exit, out.toString(), err.toString());
        }
    }
}
