package org.lifeline.platform;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Objects;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.stereotype.Component;

/**
 * Refuses to start, the server or a command, on a database that a newer Lifeline has migrated, before migrating
 * anything. Flyway by default passes over migrations it does not know ("future" ones), so code older than its
 * database would run on it and write what the newer code's rules forbid: during a rolling upgrade, an old node beside
 * a new one. Stop the old nodes before starting the new ones (README, 'Production topology', 'Upgrades').
 */
@Component
class NewerSchemaRefusal implements FlywayMigrationStrategy {

    private static final EnumSet<MigrationState> NEWER = EnumSet.of(MigrationState.FUTURE_SUCCESS,
            MigrationState.FUTURE_FAILED);

    @Override
    public void migrate(Flyway flyway) {
        refuseNewer(flyway.info());
        flyway.migrate();
    }

    static void refuseNewer(MigrationInfoService migrations) {
        var newest = Arrays.stream(migrations.applied()).filter(m -> NEWER.contains(m.getState()))
                .map(MigrationInfo::getVersion).max(Comparator.naturalOrder());
        if (newest.isPresent()) {
            var known = Arrays.stream(migrations.all()).filter(m -> m.getState().isResolved())
                    .map(MigrationInfo::getVersion).filter(Objects::nonNull).max(Comparator.naturalOrder())
                    .orElse(MigrationVersion.EMPTY);
            throw new NewerSchema(newest.get().getVersion(), known.getVersion());
        }
    }

    static final class NewerSchema extends IllegalStateException {
        NewerSchema(String database, String code) {
            super("The database's schema is at version " + database + ", migrated by a newer Lifeline; this one knows"
                    + " migrations up to version " + code);
        }
    }
}
