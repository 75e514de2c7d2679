package org.lifeline.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A database of its own for a migration test: a fresh in-memory H2 in PostgreSQL mode, or a fresh schema in the
 * PostgreSQL run, dropped when closed. The migrations and the test share one session: with Flyway on connections of
 * its own, closed after migrating, H2 failed every check of {@code support_case} on insert ("The database has been
 * closed").
 */
public final class ScratchSchema implements AutoCloseable {

    private final String name;
    private final boolean postgres = DatabaseAvailability.onPostgres();
    private final Connection connection;
    private final String url;

    public ScratchSchema(String prefix) throws SQLException {
        name = prefix + "_" + Long.toString(System.nanoTime(), 36);
        url = postgres
                ? System.getProperty("spring.datasource.url").replaceAll("currentSchema=[^&]*", "currentSchema=" + name)
                : "jdbc:h2:mem:" + name
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        connection = DriverManager.getConnection(url, username(), "");
    }

    /** Runs the migrations up to {@code target} ({@code latest}: all of them); statements then work in the schema. */
    public void migrateTo(String target) throws SQLException {
        flyway(target).migrate();
        connection.createStatement().execute("set " + (postgres ? "search_path to " : "schema ") + name);
    }

    /** Flyway on this schema with Lifeline's migrations, up to {@code target} ({@code latest}: all of them). */
    public Flyway flyway(String target) {
        return Flyway.configure().dataSource(new SingleConnectionDataSource(connection, true)).schemas(name)
                .createSchemas(true)
                .locations("classpath:db/migration", "classpath:db/vendor/" + (postgres ? "postgresql" : "h2"))
                .target(target).load();
    }

    /** The settings a Lifeline started on this schema needs, as {@code --name=value} arguments. */
    public String[] settings() {
        // H2 opens a URL's SCHEMA only if it exists: not in the URL this schema is made through
        return new String[] {"--spring.datasource.url=" + url + (postgres ? "" : ";SCHEMA=" + name),
                "--spring.datasource.username=" + username(),
                "--spring.datasource.password=", "--spring.flyway.schemas=" + name};
    }

    private String username() {
        return postgres ? System.getProperty("spring.datasource.username") : "sa";
    }

    public Connection connection() {
        return connection;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws SQLException {
        try (connection) {
            if (postgres) {
                connection.createStatement().execute("drop schema " + name + " cascade");
            }
        }
    }
}
