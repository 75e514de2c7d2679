package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.platform.CommandContext;
import org.lifeline.testing.PersistenceTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * A command run inside a longer process (as the tests run them) leaves the process's logging as it found it: Spring
 * Boot keeps the command's "errors only" console threshold in a system property that no later context overwrites.
 */
@SpringBootTest
@PersistenceTest
class CommandLoggingSettingsTests {

    static final String THRESHOLD = "CONSOLE_LOG_THRESHOLD";

    /** As in a process that has run no command yet. */
    @BeforeEach
    void noCommandRunYet() {
        System.clearProperty(THRESHOLD);
    }

    @Test
    void aCommandTakesBackTheLoggingSettingsItsStartSet() {
        var run = CommandRun.of("audit", "head");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(System.getProperty(THRESHOLD)).as("after the command").isNull();
    }

    @Test
    void aCommandWhoseStartFailsTakesThemBackToo() {
        try (var context = new CommandContext(FailingStart.class)) {
            assertThatThrownBy(() -> context.bean(String.class)).hasRootCauseMessage("no start today");
        }
        assertThat(System.getProperty(THRESHOLD)).as("after the failed start").isNull();
    }

    /**
     * An application whose start fails after its logging is set up (its bean method read in lite mode: a nested
     * {@code @Configuration} would become this test class's own configuration).
     */
    static class FailingStart {

        @Bean
        String failing() {
            throw new IllegalStateException("no start today");
        }
    }
}
