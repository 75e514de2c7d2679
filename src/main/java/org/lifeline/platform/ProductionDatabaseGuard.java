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
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        var embedded = !environment.containsProperty("spring.datasource.url");
        var dataDir = Path.of(environment.getProperty("lifeline.data-dir", "./data")).toAbsolutePath().normalize();
        if (embedded) {
            environment.getPropertySources().addLast(new MapPropertySource("lifeline-embedded-database", Map.of(
                    "spring.datasource.url", "jdbc:h2:file:" + dataDir.resolve("db").resolve("lifeline") + H2_OPTIONS,
                    "spring.datasource.username", "sa",
                    "spring.datasource.password", "")));
        }
        if (Arrays.asList(environment.getActiveProfiles()).contains(PROD_PROFILE)) {
            var url = environment.getProperty("spring.datasource.url", "");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new EmbeddedDatabaseRefused(url.startsWith("jdbc:h2:") ? "the embedded H2 database" : describe(url));
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
