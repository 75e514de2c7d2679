package org.lifeline.testing;

import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * In the PostgreSQL run, fails fast with a plain message when PostgreSQL cannot be reached, instead of a wall of
 * Spring context failures. Never skips: a missing database is a failure, in CI and locally alike.
 */
public class DatabaseAvailability implements BeforeAllCallback {

    public static boolean onPostgres() {
        return "postgres".equals(System.getProperty("lifeline.test.database"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!onPostgres()) {
            return;
        }
        var url = System.getProperty("spring.datasource.url");
        try (var ignored = DriverManager.getConnection(url, System.getProperty("spring.datasource.username"), "")) {
            // reachable
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + url.replaceAll("\\?.*", "")
                    + " (" + e.getMessage() + "). Start it (.ci/run does) or run with -Dlifeline.test.postgres.skip=true.");
        }
    }
}
