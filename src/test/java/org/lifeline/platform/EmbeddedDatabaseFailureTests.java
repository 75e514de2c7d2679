package org.lifeline.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.LifelineApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

/**
 * The embedded database that cannot be opened at start-up: in use by another process, or damaged. Lifeline says
 * which file and what to do instead of a stack trace. Embedded H2 only (these tests start Lifeline on a data
 * directory of their own); recovery is {@code DatabaseCommandTests}'.
 */
class EmbeddedDatabaseFailureTests {

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aSecondLifelineOnTheSameDataDirectoryIsToldTheDatabaseIsInUse(@TempDir Path dataDir) throws Exception {
        // another process holds the database open: H2's shell, the way an operator might look into it
        Files.createDirectories(dataDir.resolve("db"));
        try (var shell = org.lifeline.testing.H2Shell.holding(Databases.embeddedH2(dataDir))) {
            var failure = catchThrowable(() -> start(dataDir));

            assertThat(Databases.inUseElsewhere(failure)).isTrue();
            var analysis = analyzer(dataDir).analyze(failure);
            assertThat(analysis).as("analysed").isNotNull();
            assertThat(analysis.getDescription())
                    .isEqualTo("The embedded database " + dataDir.resolve("db").resolve("lifeline.mv.db") + " is in use"
                            + " by another process: another Lifeline on the same data directory, or a tool that has"
                            + " it open.");
            assertThat(analysis.getAction()).contains("Stop that process", "LIFELINE_DATA_DIR");
        }
    }

    @Test
    void aDamagedDatabaseStopsTheStartWithWhatToDo(@TempDir Path dataDir) throws Exception {
        // a database file overwritten, or torn beyond what H2 repairs on its own
        Files.createDirectories(dataDir.resolve("db"));
        var garbage = new byte[64 * 1024];
        new java.util.Random(23).nextBytes(garbage);
        var file = dataDir.resolve("db").resolve("lifeline.mv.db");
        Files.write(file, garbage);

        var failure = catchThrowable(() -> start(dataDir));

        assertThat(failure).isNotNull();
        var analysis = analyzer(dataDir).analyze(failure);
        assertThat(analysis).as("analysed").isNotNull();
        assertThat(analysis.getDescription()).startsWith("The embedded database " + file + " cannot be opened: the file");
        assertThat(analysis.getAction()).contains("Keep the file", "'Backups'", "database restore", "database recover", "If the embedded database cannot be opened");
        // and Spring Boot asks it, at a failed start
        var registered = new java.util.ArrayList<String>();
        for (var factories : java.util.Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            try (var in = factories.openStream()) {
                var properties = new java.util.Properties();
                properties.load(in);
                registered.add(properties.getProperty(org.springframework.boot.diagnostics.FailureAnalyzer.class.getName(), ""));
            }
        }
        assertThat(registered).anySatisfy(names -> assertThat(names).contains(EmbeddedDatabaseFailureAnalyzer.class.getName()));
        assertThat(Files.readAllBytes(file)).as("the file as it was").isEqualTo(garbage);
    }

    @Test
    void anIntakeJournalThatCannotBeOpenedIsLeftToItsOwnExplanation(@TempDir Path dataDir) throws Exception {
        // the journal beside the database, not the database, is what H2 could not read
        Files.createDirectories(dataDir.resolve("db"));
        var garbage = new byte[64 * 1024];
        new java.util.Random(29).nextBytes(garbage);
        Files.write(dataDir.resolve("db").resolve("lifeline-intake.mv.db"), garbage);
        var journal = Databases.h2Beside(Databases.embeddedH2(dataDir), "intake").orElseThrow();

        var failure = catchThrowable(() -> java.sql.DriverManager.getConnection(journal, "sa", "").close());

        assertThat(failure).isInstanceOf(java.sql.SQLException.class);
        assertThat(EmbeddedDatabaseFailureAnalyzer.UNREADABLE).containsKey(((java.sql.SQLException) failure).getErrorCode());
        assertThat(analyzer(dataDir).analyze(new IllegalStateException("journal", failure))).isNull();
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(LifelineApplication.class)
                .web(WebApplicationType.NONE)
                .properties("lifeline.background-work=false", "logging.level.root=OFF")
                // an argument, so that it outranks the test run's own data directory (a system property)
                .run("--lifeline.data-dir=" + dataDir);
    }

    /** The analyzer as Spring Boot makes it at a failed start: with the environment the start had. */
    private static EmbeddedDatabaseFailureAnalyzer analyzer(Path dataDir) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("test",
                java.util.Map.of("spring.datasource.url", Databases.embeddedH2(dataDir))));
        return new EmbeddedDatabaseFailureAnalyzer(environment);
    }
}
