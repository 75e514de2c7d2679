package org.lifeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorLogin;
import org.lifeline.platform.CommandContext;
import org.lifeline.testing.PersistenceTest;

/** {@code users create} run the way an admin runs it: its own process context, the password on standard input. */
@PersistenceTest
class UsersCommandIntegrationTests {

    private static final String PASSWORD = "a long enough password";

    private static CommandContext context;
    private final InputStream stdin = System.in;

    @BeforeAll
    static void start() {
        context = new CommandContext(LifelineApplication.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void createsAnEnrolledUserAndPrintsTheOtpauthUriAndRecoveryCodes() {
        var name = "cli-" + UUID.randomUUID().toString().substring(0, 8);

        var run = run(PASSWORD + "\n", "users", "create", "--username", name, "--role", "ADMIN", "--password-stdin");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Created operator " + name + " (ADMIN).")
                .containsPattern("otpauth://totp/Lifeline%3A" + name + "\\?secret=[A-Z2-7]{32}&issuer=Lifeline")
                .containsPattern("(?m)^  ([a-z2-9]{4}-){3}[a-z2-9]{4}$");
        assertThat(run.out().lines().filter(line -> line.matches("  ([a-z2-9]{4}-){3}[a-z2-9]{4}"))).hasSize(10);
        assertThat(run.out()).doesNotContain(PASSWORD);
        assertThat(context.bean(OperatorLogin.class).checkPassword(name, PASSWORD)).hasValueSatisfying(
                first -> assertThat(first.enrolled()).isTrue());
    }

    @Test
    void refusesADuplicateUsernameWithExitCodeOne() {
        var name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(run(PASSWORD + "\n", "users", "create", "--username", name, "--role", "OPERATOR", "--password-stdin")
                .exit()).isZero();

        var again = run(PASSWORD + "\n", "users", "create", "--username", name, "--role", "SUPERVISOR", "--password-stdin");

        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("An operator named " + name + " already exists.");
        assertThat(again.out()).doesNotContain("otpauth://");
    }

    @Test
    void refusesAWeakPassword() {
        var run = run("short\n", "users", "create", "--username", "weak-cli", "--role", "OPERATOR", "--password-stdin");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("at least 12 characters");
    }

    @Test
    void refusesAnUnknownRoleNamingTheRoles() {
        var run = run(PASSWORD + "\n", "users", "create", "--username", "kingly", "--role", "KING", "--password-stdin");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--role").contains("OPERATOR, COORDINATOR, SUPERVISOR, ADMIN");
    }

    @Test
    void refusesAnEmptyStandardInput() {
        var run = run("", "users", "create", "--username", "no-password", "--role", "OPERATOR", "--password-stdin");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no password on standard input");
    }

    private Run run(String input, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        System.setIn(new ByteArrayInputStream(input.getBytes(UTF_8)));
        try {
            var exit = LifelineCommandLine.commandLine(context)
                    .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setIn(stdin);
        }
    }

    private record Run(int exit, String out, String err) {
    }
}
