package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts Lifeline as a separate process, the way an operator would, and reads what it says. */
class ProductionProfileTests {

    @TempDir
    Path dataDir;

    @Test
    void prodProfileWithoutPostgresUrlExitsNonZeroNamingTheProblem() throws Exception {
        var run = run("--spring.profiles.active=prod");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output())
                .contains("The 'prod' profile refuses to start on the embedded H2 database")
                .contains("SPRING_DATASOURCE_URL");
        assertThat(Files.exists(dataDir.resolve("db"))).as("no embedded database was created").isFalse();
    }

    @Test
    void prodProfileWithNonPostgresUrlIsRefusedToo() throws Exception {
        var run = run("--spring.profiles.active=prod", "--spring.datasource.url=jdbc:mysql://localhost/lifeline");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("a database that is not PostgreSQL");
    }

    private Run run(String... args) throws Exception {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dlifeline.data-dir=" + dataDir);
        command.add(LifelineApplication.class.getName());
        command.addAll(java.util.List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private record Run(int exitCode, String output) {
    }
}
