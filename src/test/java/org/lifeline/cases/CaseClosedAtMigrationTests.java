package org.lifeline.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.ScratchSchema;

/**
 * V315 and V320 on a database of its own (a fresh in-memory H2 in PostgreSQL mode, or a fresh schema in the PostgreSQL run):
 * a finished case's {@code closed_at} is the time of its latest transition into its status, whatever was written to
 * it since; an open case has none. V320: a family inquiry left ANSWERED by an erasure is closed as the erasure now
 * closes it.
 */
@Tag("persistence")
@ExtendWith(DatabaseAvailability.class)
class CaseClosedAtMigrationTests {

    static final OffsetDateTime CLOSED = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    static final OffsetDateTime CLAIMED = CLOSED.plusMonths(11);

    @Test
    void aFinishedCaseIsClosedWhenItsHistorySaysNotWhenItWasLastWritten() throws SQLException {
        try (var schema = new ScratchSchema("case_migration")) {
            schema.migrateTo("311");
            var db = schema.connection();
            // closed a first time, reopened, closed again; then claimed eleven months later
            var reclosed = kase(db, "CLOSED", "LOST_CONTACT", CLAIMED);
            transition(db, reclosed, 0, null, "NEW", null, CLOSED.minusDays(30));
            transition(db, reclosed, 1, "NEW", "CLOSED", "LOST_CONTACT", CLOSED.minusDays(20));
            transition(db, reclosed, 2, "CLOSED", "IN_CONTACT", null, CLOSED.minusDays(10));
            transition(db, reclosed, 3, "IN_CONTACT", "CLOSED", "LOST_CONTACT", CLOSED);
            var surrendered = kase(db, "SURRENDERED", null, CLAIMED);
            transition(db, surrendered, 0, null, "NEW", null, CLOSED.minusDays(1));
            transition(db, surrendered, 1, "HANDOVER_PLANNED", "SURRENDERED", null, CLOSED);
            var withoutHistory = kase(db, "CLOSED", "DUPLICATE", CLAIMED);
            var open = kase(db, "VERIFIED", null, CLAIMED);
            transition(db, open, 0, null, "NEW", null, CLOSED);

            schema.migrateTo("latest");

            assertThat(closedAt(db, reclosed)).as("the latest closing").isEqualTo(CLOSED.toInstant());
            assertThat(closedAt(db, surrendered)).isEqualTo(CLOSED.toInstant());
            assertThat(closedAt(db, withoutHistory)).as("no history: its last write").isEqualTo(CLAIMED.toInstant());
            assertThat(closedAt(db, open)).isNull();
        }
    }

    @Test
    void anAnsweredInquiryErasedBeforeIsClosedAsItsErasureNowClosesIt() throws SQLException {
        try (var schema = new ScratchSchema("case_migration")) {
            schema.migrateTo("315");
            var db = schema.connection();
            var erasedAt = CLOSED.plusDays(3);
            var erased = kase(db, "FAMILY_INQUIRY", "ANSWERED", null, CLOSED);
            var kept = kase(db, "FAMILY_INQUIRY", "ANSWERED", null, CLOSED);
            for (var inquiry : new UUID[] {erased, kept}) {
                transition(db, inquiry, 0, null, "NEW", null, CLOSED.minusDays(30));
                var answered = db.prepareStatement("update support_case set outcome = 'CAPTURED' where id = ?");
                answered.setObject(1, inquiry);
                answered.executeUpdate();
            }
            // as an erasure left it: details gone, version bumped, still ANSWERED
            var erase = db.prepareStatement(
                    "update support_case set erased_at = ?, details_enc = null, version = 5 where id = ?");
            erase.setObject(1, erasedAt);
            erase.setObject(2, erased);
            erase.executeUpdate();

            schema.migrateTo("latest");

            var closed = db.prepareStatement(
                    "select status, close_reason, outcome, version, closed_at from support_case where id = ?");
            closed.setObject(1, erased);
            var row = closed.executeQuery();
            row.next();
            assertThat(row.getString(1)).isEqualTo("CLOSED");
            assertThat(row.getString(2)).isEqualTo("WITHDRAWN");
            assertThat(row.getString(3)).isEqualTo("CAPTURED");
            assertThat(row.getLong(4)).isEqualTo(6);
            assertThat(row.getObject(5, OffsetDateTime.class).toInstant()).isEqualTo(erasedAt.toInstant());
            var history = db.prepareStatement("""
                    select from_status, to_status, close_reason, actor, changed_at from case_transition
                    where case_id = ? and version = 6""");
            history.setObject(1, erased);
            var entry = history.executeQuery();
            assertThat(entry.next()).isTrue();
            assertThat(List.of(entry.getString(1), entry.getString(2), entry.getString(3), entry.getString(4)))
                    .containsExactly("ANSWERED", "CLOSED", "WITHDRAWN", "requester");
            assertThat(entry.getObject(5, OffsetDateTime.class).toInstant()).isEqualTo(erasedAt.toInstant());
            assertThat(closedAt(db, kept)).as("not erased: left to its operators").isNull();
        }
    }

    private static UUID kase(Connection db, String status, String reason, OffsetDateTime updated) throws SQLException {
        return kase(db, "SURRENDER_REQUEST", status, reason, updated);
    }

    private static UUID kase(Connection db, String kind, String status, String reason, OffsetDateTime updated)
            throws SQLException {
        var key = UUID.randomUUID();
        var insertKey = db.prepareStatement("""
                insert into data_key (id, wrapped_key, master_key_id, created_at) values (?, ?, 1, ?)""");
        insertKey.setObject(1, key);
        insertKey.setBytes(2, new byte[] {1});
        insertKey.setObject(3, CLOSED.minusDays(30));
        insertKey.executeUpdate();
        var id = UUID.randomUUID();
        var insert = db.prepareStatement("""
                insert into support_case (id, reference, kind, status, close_reason, data_key_id, details_enc,
                                          created_at, updated_at, version)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, 4)""");
        insert.setObject(1, id);
        insert.setString(2, id.toString().substring(0, 6));
        insert.setString(3, kind);
        insert.setString(4, status);
        insert.setString(5, reason);
        insert.setObject(6, key);
        insert.setBytes(7, new byte[] {1});
        insert.setObject(8, CLOSED.minusDays(30));
        insert.setObject(9, updated);
        insert.executeUpdate();
        return id;
    }

    private static void transition(Connection db, UUID kase, long version, String from, String to, String reason,
            OffsetDateTime at) throws SQLException {
        var insert = db.prepareStatement("""
                insert into case_transition (case_id, version, from_status, to_status, close_reason, actor, changed_at)
                values (?, ?, ?, ?, ?, 'test', ?)""");
        insert.setObject(1, kase);
        insert.setLong(2, version);
        insert.setString(3, from);
        insert.setString(4, to);
        insert.setString(5, reason);
        insert.setObject(6, at);
        insert.executeUpdate();
    }

    private static Instant closedAt(Connection db, UUID kase) throws SQLException {
        var select = db.prepareStatement("select closed_at from support_case where id = ?");
        select.setObject(1, kase);
        var rows = select.executeQuery();
        rows.next();
        var value = rows.getObject(1, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
