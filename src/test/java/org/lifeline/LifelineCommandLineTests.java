package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.lifeline.platform.CommandContext;

class LifelineCommandLineTests {

    @Test
    void recognisesCommandsAndLeavesServerOptionsToTheServer() {
        assertThat(LifelineCommandLine.isCommand(new String[] {"keys", "rotate"})).isTrue();
        assertThat(LifelineCommandLine.isCommand(new String[] {"--help"})).isTrue();
        assertThat(LifelineCommandLine.isCommand(new String[] {})).isFalse();
        assertThat(LifelineCommandLine.isCommand(new String[] {"--server.port=9090"})).isFalse();
    }

    /** Options before a command would start a server that ignores it (and prints a setup token): refused instead. */
    @Test
    void aCommandAfterOptionsIsNoServerStart() {
        assertThat(LifelineCommandLine.misplaced(new String[] {"--lifeline.data-dir=/tmp/x", "users", "create"})).contains("users");
        assertThat(LifelineCommandLine.misplaced(new String[] {"--server.port", "9090"})).contains("9090");
        assertThat(LifelineCommandLine.misplaced(new String[] {"--server.port=9090", "--spring.profiles.active=prod"})).isEmpty();
        assertThat(LifelineCommandLine.misplaced(new String[] {"users", "create", "--username", "x"})).isEmpty();
        assertThat(LifelineCommandLine.misplaced(new String[] {})).isEmpty();
    }

    @Test
    void helpListsTheCommandsWithoutStartingTheApplication() {
        var out = new StringWriter();
        try (var context = new CommandContext(LifelineApplication.class)) {
            var exit = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out)).execute("--help");

            assertThat(exit).isZero();
        }
        assertThat(out.toString()).contains("Usage: lifeline").contains("Without a command, runs the server");
    }

    @Test
    void helpFitsEightyColumnsWithoutCuttingAnOptionInTwo() {
        for (var args : new String[][] {{"--help"}, {"help", "users"}, {"help", "flows"}, {"help", "keys"}, {"help", "site"}, {"help", "telegram"}, {"help", "database"}}) {
            var out = new StringWriter();
            try (var context = new CommandContext(LifelineApplication.class)) {
                LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out)).execute(args);
            }
            assertThat(out.toString().lines()).as(String.join(" ", args)).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
            if (args[0].equals("--help")) {
                assertThat(out.toString()).contains("--server.port=8080");
            }
        }
    }

    @Test
    void flowsValidateRunsFromTheRootCommand() {
        var out = new StringWriter();
        try (var context = new CommandContext(LifelineApplication.class)) {
            var exit = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out)).execute("flows", "validate");

            assertThat(exit).isZero();
        }
        assertThat(out.toString()).contains("Flows are valid");
    }

    @Test
    void unknownCommandIsAUsageErrorWithExitCodeTwo() {
        var err = new StringWriter();
        try (var context = new CommandContext(LifelineApplication.class)) {
            var exit = LifelineCommandLine.commandLine(context).setErr(new PrintWriter(err)).execute("launch-missiles");

            assertThat(exit).isEqualTo(2);
        }
        assertThat(err.toString()).contains("Unmatched argument").contains("launch-missiles");
    }
}
