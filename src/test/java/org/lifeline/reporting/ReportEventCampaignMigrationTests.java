package org.lifeline.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.ScratchSchema;

/**
 * V311 on a database of its own (a fresh in-memory H2 in PostgreSQL mode, or a fresh schema in the PostgreSQL run):
 * the campaign names the history kept become the ids of their campaigns where one campaign matches, and the names
 * are gone.
 */
@Tag("persistence")
@ExtendWith(DatabaseAvailability.class)
class ReportEventCampaignMigrationTests {

    static final String LONG = "Radio night for the east and the south of the front, read twice an hour";

    @Test
    void namesBecomeTheIdsOfTheirCampaignsAndAreGone() throws SQLException {
        try (var schema = new ScratchSchema("report_migration")) {
            schema.migrateTo("310");
            var db = schema.connection();
            var video = campaign(db, "Korean video 3");
            campaign(db, LONG + " (A)");
            campaign(db, LONG + " (B)");
            for (var name : new String[] {"Korean video 3", LONG.substring(0, 64), "A campaign no longer here", null}) {
                var insert = db.prepareStatement("""
                        insert into report_event (occurred_on, event, channel, language, campaign)
                        values (date '2026-12-03', 'REQUEST_STARTED', 'telegram', 'ru', ?)""");
                insert.setString(1, name);
                insert.executeUpdate();
            }

            schema.migrateTo("latest");

            var ids = new ArrayList<UUID>();
            var rows = db.createStatement().executeQuery("select campaign_id from report_event");
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
            assertThat(ids).as("the one campaign of its name; a cut name two share, and an unknown one, as none")
                    .containsExactlyInAnyOrder(video, null, null, null);
            var columns = db.getMetaData().getColumns(null, schema.name(), "report_event", null);
            var names = new ArrayList<String>();
            while (columns.next()) {
                names.add(columns.getString("COLUMN_NAME"));
            }
            assertThat(names).contains("campaign_id").doesNotContain("campaign");
        }
    }

    private static UUID campaign(Connection db, String name) throws SQLException {
        var id = UUID.randomUUID();
        var insert = db.prepareStatement("""
                insert into campaign (id, code, name, language, channels, active, created_at)
                values (?, ?, ?, 'ko', 'telegram', true, current_timestamp)""");
        insert.setObject(1, id);
        insert.setString(2, id.toString().substring(0, 12));
        insert.setString(3, name);
        insert.executeUpdate();
        return id;
    }
}
