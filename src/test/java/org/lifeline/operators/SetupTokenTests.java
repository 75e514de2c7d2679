package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.platform.DataDirectory;
import org.lifeline.platform.PlatformSettings;
import org.lifeline.testing.ManualClock;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/** The setup token goes to a terminal, never into JSON logs that a collector ships elsewhere. */
@ExtendWith(OutputCaptureExtension.class)
class SetupTokenTests {

    private static final OperatorsSettings SETTINGS = new OperatorsSettings(null, "Lifeline", 5, Duration.ofSeconds(30),
            Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofHours(24), 0, 30, Duration.ofDays(90));

    @Test
    void printsTheTokenOnAConsoleOfPlainLines(@TempDir Path dir, CapturedOutput output) throws Exception {
        var token = issue(dir, new MockEnvironment());

        assertThat(output.getOut()).contains(token);
    }

    @Test
    void namesOnlyItsFileWhenTheConsoleCarriesStructuredLogs(@TempDir Path dir, CapturedOutput output) throws Exception {
        var token = issue(dir, new MockEnvironment().withProperty("logging.structured.format.console", "ecs"));

        assertThat(output.getAll()).doesNotContain(token).contains(dir.resolve(SetupToken.FILE).toString());
    }

    private static String issue(Path dir, MockEnvironment environment) throws Exception {
        var data = new DataDirectory(new PlatformSettings(dir, false));
        var setup = new SetupToken(data, new ManualClock(Instant.parse("2026-12-03T12:00:00Z")), SETTINGS, environment);
        setup.ensureIssued(true);
        var token = Files.readAllLines(dir.resolve(SetupToken.FILE)).getFirst();
        assertThat(token).hasSizeGreaterThan(20);
        return token;
    }
}
