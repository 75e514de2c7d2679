package org.lifeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.ScratchSchema;

/**
 * V326 on a database of its own: keys a node running code from before V318 destroyed without a number take one new
 * number, above every record of how far a journal was settled, so that every node's next start journals them.
 */
@Tag("persistence")
@ExtendWith(DatabaseAvailability.class)
class DataKeyDestroyedNumberedMigrationTests {

    @Test
    void keysDestroyedWithoutANumberTakeOneAboveEveryRecord() throws SQLException {
        try (var schema = new ScratchSchema("destroyed_numbered")) {
            schema.migrateTo("322");
            var db = schema.connection();
            db.createStatement().executeUpdate("update data_key_destruction_count set last_seq = 7 where id = 1");
            var numbered = key(db, "7");
            var unnumbered = key(db, "null");
            var live = UUID.randomUUID();
            var insert = db.prepareStatement("""
                    insert into data_key (id, wrapped_key, master_key_id, created_at)
                    values (?, ?, 1, current_timestamp)""");
            insert.setObject(1, live);
            insert.setBytes(2, new byte[] {1});
            insert.executeUpdate();

            schema.migrateTo("latest");

            assertThat(single(db, "select last_seq from data_key_destruction_count")).isEqualTo(8L);
            assertThat(seq(db, unnumbered)).isEqualTo(8L);
            assertThat(seq(db, numbered)).isEqualTo(7L);
            assertThat(seq(db, live)).isNull();
        }
    }

    private static UUID key(Connection db, String seq) throws SQLException {
        var id = UUID.randomUUID();
        var insert = db.prepareStatement("insert into data_key (id, created_at, destroyed_at, destroyed_seq)"
                + " values (?, current_timestamp, current_timestamp, " + seq + ")");
        insert.setObject(1, id);
        insert.executeUpdate();
        return id;
    }

    private static Long seq(Connection db, UUID key) throws SQLException {
        var select = db.prepareStatement("select destroyed_seq from data_key where id = ?");
        select.setObject(1, key);
        var rows = select.executeQuery();
        rows.next();
        return rows.getObject(1, Long.class);
    }

    private static Long single(Connection db, String select) throws SQLException {
        var rows = db.createStatement().executeQuery(select);
        rows.next();
        return rows.getLong(1);
    }
}
