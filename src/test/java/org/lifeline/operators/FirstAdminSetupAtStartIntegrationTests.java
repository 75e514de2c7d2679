package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.platform.DataDirectory;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the server does when it has started ({@link FirstAdminSetupAtStart}, called as the ready event calls it):
 * without an admin it writes an owner-only setup token and prints it on its console; with one it makes none.
 */
@ConsoleTest
@ExtendWith(OutputCaptureExtension.class)
class FirstAdminSetupAtStartIntegrationTests {

    @Autowired
    FirstAdminSetupAtStart atStart;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    DataDirectory dataDirectory;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void noTokenYet() throws IOException {
        Files.deleteIfExists(tokenFile());
    }

    @Test
    void withoutAnAdminTheStartWritesAnOwnerOnlyTokenAndPrintsItOnTheConsole(CapturedOutput output) throws Exception {
        jdbc.sql("delete from operator_account where role = 'ADMIN'").update();

        atStart.offer();

        assertThat(tokenFile()).exists();
        assertThat(Files.getPosixFilePermissions(tokenFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        var token = Files.readAllLines(tokenFile(), StandardCharsets.US_ASCII).getFirst().strip();
        assertThat(token).hasSizeGreaterThanOrEqualTo(32);
        assertThat(output.getOut()).as("printed on the server's console").contains(token);
        assertThat(administration.needsFirstAdmin()).isTrue();

        // the next start prints the same, still valid token again rather than making another
        var printedBefore = output.getOut().split(token, -1).length - 1;
        atStart.offer();
        assertThat(Files.readAllLines(tokenFile(), StandardCharsets.US_ASCII).getFirst().strip()).isEqualTo(token);
        assertThat(output.getOut().split(token, -1).length - 1).isEqualTo(printedBefore + 1);
    }

    @Test
    void withAnAdminTheStartMakesNoTokenAndRemovesALeftoverOne(CapturedOutput output) throws Exception {
        administration.createEnrolled("start-admin-" + UUID.randomUUID().toString().substring(0, 8), Role.ADMIN,
                "a long enough password");
        // what the context printed when it started, before this test made its admin, is not this start's
        var before = output.getOut().length();

        atStart.offer();

        assertThat(tokenFile()).doesNotExist();
        assertThat(output.getOut().substring(before)).doesNotContain("setup token");

        Files.writeString(tokenFile(), "a-leftover-token\nvalid until 2999-01-01T00:00:00Z\n");
        atStart.offer();
        assertThat(tokenFile()).as("a token left from before the admin was made").doesNotExist();
        assertThat(output.getOut().substring(before)).doesNotContain("setup token").doesNotContain("a-leftover-token");
    }

    private Path tokenFile() {
        return dataDirectory.root().resolve(SetupToken.FILE);
    }
}
