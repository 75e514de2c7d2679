package org.lifeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.platform.CommandContext;
import org.lifeline.testing.LifelineProcess;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A newcomer's first run on the embedded database: the server runs, and {@code users create} is typed in another
 * terminal. H2 lets one process have its file; the command says so in one line and what to do, instead of a
 * stack trace after a long wait. And a command's output is its result, never JSON log lines, even where the
 * server is configured to log JSON. (H2 only: on PostgreSQL commands and servers share the database.)
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandsBesideARunningServerIntegrationTests {

    @Test
    void usersCreateSaysInOneLineThatTheServerHoldsTheEmbeddedDatabase(@TempDir Path data, CapturedOutput output) throws Exception {
        try (var server = LifelineProcess.start(data.resolve("server.log"), List.of("--lifeline.data-dir=" + data))) {
            var dataDir = System.getProperty("lifeline.data-dir");
            var stdin = System.in;
            System.setProperty("lifeline.data-dir", data.toString());
            // as a production configuration would ask for JSON logs
            System.setProperty("logging.structured.format.console", "ecs");
            var out = new StringWriter();
            var err = new StringWriter();
            int exit;
            try (var context = new CommandContext(LifelineApplication.class)) {
                System.setIn(new ByteArrayInputStream("a long enough password\n".getBytes(UTF_8)));
                exit = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                        .execute("users", "create", "--username", "first-admin", "--role", "ADMIN", "--password-stdin");
            } finally {
                System.setIn(stdin);
                System.setProperty("lifeline.data-dir", dataDir);
                System.clearProperty("logging.structured.format.console");
            }

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString().lines()).containsExactly("error: the embedded database is in use by a running "
                    + "Lifeline server; stop the server, run this command, then start the server again (or run on "
                    + "PostgreSQL, where commands and servers share the database)");
            assertThat(out.toString()).isEmpty();
            assertThat(output.getAll()).doesNotContain("{\"@timestamp").doesNotContain("\tat ").doesNotContain("Exception");
        }
    }
}
