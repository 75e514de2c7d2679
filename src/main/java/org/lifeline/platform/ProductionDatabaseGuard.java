package org.lifeline.platform;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the database before any data source exists: without a configured URL, the embedded H2 database in a
 * file under the data directory; and refuses to start the {@code prod} profile on anything but PostgreSQL.
 */
class ProductionDatabaseGuard implements EnvironmentPostProcessor, Ordered {

    static final String PROD_PROFILE = "prod";
    /**
     * PostgreSQL mode, so that one set of migrations serves both. {@code WRITE_DELAY=0}: H2 otherwise writes
     * committed transactions to its file up to half a second later, and a killed process loses them although they
     * were acknowledged; with it, each commit is written to the file before it returns (into the operating system's
     * cache: it survives the process, not a power cut). {@code DB_CLOSE_ON_EXIT=FALSE}: H2 would close the database
     * from its own shutdown hook while the application is still stopping its workers; the pool closes it last.
     * {@code TRACE_LEVEL_FILE=0}: no trace file, whose SQL errors would carry the values of failed statements.
     * {@code QUERY_CACHE_SIZE=128}: each connection keeps this many parsed statements (H2's default, 8, is fewer than
     * the twenty-odd distinct statements of one inbound update, so every statement was parsed again each time: 13%
     * of the inbound workers' CPU in a profile). H2 keeps no statement that locks rows: {@link H2LockingStatements}.
     */
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0;QUERY_CACHE_SIZE=128";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        var embedded = !environment.containsProperty("spring.datasource.url");
        var dataDir = Path.of(environment.getProperty("lifeline.data-dir", "./data")).toAbsolutePath().normalize();
        if (embedded) {
            environment.getPropertySources().addLast(new MapPropertySource("lifeline-embedded-database", Map.of(
                    "spring.datasource.url", Databases.embeddedH2(dataDir),
                    "spring.datasource.username", "sa",
                    "spring.datasource.password", "")));
        }
        if (Arrays.asList(environment.getActiveProfiles()).contains(PROD_PROFILE)) {
            var url = environment.getProperty("spring.datasource.url", "");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new EmbeddedDatabaseRefused(
                        Databases.onH2(environment) ? "the embedded H2 database" : describe(url));
            }
        }
        if (embedded) {
            // owner-only before H2 opens the database, which would create the directories world-readable
            DataDirectory.createPrivate(dataDir);
            DataDirectory.createPrivate(dataDir.resolve("db"));
        }
    }

    private static String describe(String url) {
        return url.isBlank() ? "no database URL" : "a database that is not PostgreSQL";
    }

    @Override
    public int getOrder() {
        // after the config files have been read
        return Ordered.LOWEST_PRECEDENCE;
    }

    static final class EmbeddedDatabaseRefused extends IllegalStateException {
        final String found;

        EmbeddedDatabaseRefused(String found) {
            super("The prod profile runs only on PostgreSQL, but found " + found
                    + ": set SPRING_DATASOURCE_URL to a jdbc:postgresql:// URL");
            this.found = found;
        }
    }
}
