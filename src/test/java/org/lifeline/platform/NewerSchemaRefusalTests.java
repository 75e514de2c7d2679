package org.lifeline.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.LifelineApplication;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.ScratchSchema;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A Lifeline older than its database: during a rolling upgrade, a node of the old version started (or restarted)
 * after a new one migrated the database. Flyway would pass over the migrations it does not know; Lifeline refuses to
 * start, naming both versions, and migrates nothing.
 */
@PersistenceTest
class NewerSchemaRefusalTests {

    @Test
    void aStartOnADatabaseANewerLifelineMigratedIsRefusedNamingBothVersions(@TempDir Path dataDir) throws SQLException {
        try (var schema = new ScratchSchema("newer_schema")) {
            schema.migrateTo("latest");
            var known = Arrays.stream(schema.flyway("latest").info().applied()).map(MigrationInfo::getVersion)
                    .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElseThrow().getVersion();
            // a migration this code does not carry, as a newer Lifeline leaves it
            schema.connection().createStatement().executeUpdate("""
                    insert into flyway_schema_history
                        (installed_rank, version, description, type, script, checksum, installed_by, execution_time,
                         success)
                    select max(installed_rank) + 1, '9999', 'from a newer Lifeline', 'SQL',
                        'V9999__from_a_newer_lifeline.sql', 0, 'test', 1, true
                    from flyway_schema_history""");
            var applied = count(schema);

            var failure = catchThrowable(() -> new SpringApplicationBuilder(LifelineApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties("lifeline.background-work=false", "logging.level.root=OFF")
                    .run(Stream.concat(Stream.of("--lifeline.data-dir=" + dataDir), Stream.of(schema.settings()))
                            .toArray(String[]::new)).close());

            var refusal = Stream.iterate(failure, t -> t != null, Throwable::getCause)
                    .filter(NewerSchemaRefusal.NewerSchema.class::isInstance).findFirst();
            assertThat(refusal).as("the start refused, %s", failure).isPresent();
            var analysis = new NewerSchemaFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription()).contains("schema is at version 9999",
                    "knows migrations up to version " + known);
            assertThat(analysis.getAction()).contains("stop the nodes running the old version", "'Upgrades'");
            assertThat(count(schema)).as("nothing migrated").isEqualTo(applied);
        }
    }

    private static long count(ScratchSchema schema) throws SQLException {
        var rows = schema.connection().createStatement().executeQuery("select count(*) from flyway_schema_history");
        rows.next();
        return rows.getLong(1);
    }
}
