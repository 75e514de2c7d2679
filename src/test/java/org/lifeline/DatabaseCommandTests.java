package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifeline.EmbeddedLifeline.inTransaction;
import static org.lifeline.EmbeddedLifeline.start;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code database recover}: a new embedded database of what H2's recovery tool reads from a damaged file, with every
 * binary value (ciphertext, keyed hashes) as it was (the intake journal's: {@code IntakeJournalIntegrationTests}).
 * Embedded H2 only, on data directories of its own.
 */
class DatabaseCommandTests {

    @Test
    void aRecoveredDatabaseStartsLifelineWithItsContactsReadable(@TempDir Path dir) throws Exception {
        var data = dir.resolve("data");
        try (var context = start(data)) {
            inTransaction(context, conversations -> conversations.findOrCreateContact("telegram", "4242", "ru"));
            inTransaction(context, conversations -> conversations.findOrCreateContact("telegram", "4343", "uk"));
        }
        var moved = dir.resolve("moved");
        Files.createDirectories(moved);
        Files.move(data.resolve("db").resolve("lifeline.mv.db"), moved.resolve("lifeline.mv.db"));
        // what a recovery stopped midway left: its copy of a database
        var leftover = Files.createDirectories(data.resolve("db").resolve("recovery-" + java.util.UUID.randomUUID()));
        Files.writeString(leftover.resolve("lifeline.h2.sql"), "-- a script");

        var run = CommandRun.of("database", "recover", moved.resolve("lifeline.mv.db").toString(), "--data-dir", data.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Recovered into " + data.resolve("db").resolve("lifeline.mv.db"))
                .containsPattern("contact +2 rows").containsPattern("flyway_schema_history +\\d+ rows");
        assertThat(data.resolve("db")).isDirectoryNotContaining("glob:**/recovery-*");
        assertThat(run.err()).contains("removed " + leftover + ", left by a recovery or restore that was stopped");
        assertThat(Files.getPosixFilePermissions(data.resolve("db").resolve("lifeline.mv.db")))
                .as("owner-only, as the server keeps it").isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (var context = start(data)) {
            // his channel id found by its keyed hash, the row's data key unwrapped, his id decrypted
            var found = inTransaction(context, conversations -> conversations.findContact("telegram", "4242"));
            assertThat(found).isPresent();
            java.util.Optional<String> id = inTransaction(context, conversations -> conversations.externalId(found.get()));
            assertThat(id).hasValue("4242");
            var created = inTransaction(context, conversations -> conversations.findOrCreateContact("telegram", "4444", "ru"));
            assertThat(created).isNotEqualTo(found.get());
        }
    }

    @Test
    void refusesToRecoverOverADatabaseOrFromWhatIsNotOne(@TempDir Path dir) throws Exception {
        var data = dir.resolve("data");
        Files.createDirectories(data.resolve("db"));
        Files.write(data.resolve("db").resolve("lifeline.mv.db"), new byte[] {1});
        var moved = dir.resolve("moved");
        Files.createDirectories(moved);
        var file = Files.write(moved.resolve("lifeline.mv.db"), new byte[] {2});
        var other = Files.write(moved.resolve("other.mv.db"), new byte[] {3});
        var text = Files.writeString(moved.resolve("lifeline.txt"), "not a database");
        // a file of which H2 reads nothing at all: no empty database in its place, which would be taken for a new one
        var garbage = new byte[64 * 1024];
        new java.util.Random(43).nextBytes(garbage);
        var unreadable = Files.write(Files.createDirectories(dir.resolve("unreadable")).resolve("lifeline.mv.db"), garbage);
        var elsewhere = dir.resolve("elsewhere");

        var over = CommandRun.of("database", "recover", file.toString(), "--data-dir", data.toString());
        var unknown = CommandRun.of("database", "recover", other.toString(), "--data-dir", data.toString());
        var notOne = CommandRun.of("database", "recover", text.toString(), "--data-dir", data.toString());
        var nothing = CommandRun.of("database", "recover", unreadable.toString(), "--data-dir", elsewhere.toString());

        assertThat(over.exit()).isEqualTo(1);
        assertThat(over.err()).contains(data.resolve("db").resolve("lifeline.mv.db") + " exists: move it aside first");
        assertThat(Files.readAllBytes(data.resolve("db").resolve("lifeline.mv.db"))).as("left as it was").containsExactly(1);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("neither the database's file (lifeline.mv.db) nor its intake journal's");
        assertThat(notOne.exit()).isEqualTo(1);
        assertThat(notOne.err()).contains("is not an H2 database file");
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.err()).contains(unreadable.toString()).contains("restore the last backup");
        assertThat(elsewhere.resolve("db").resolve("lifeline.mv.db")).doesNotExist();
        assertThat(elsewhere.resolve("db")).isEmptyDirectory();
    }

    @Test
    void compactingGivesBackTheSpaceCommitsLeftAndRefusesWhileLifelineRuns(@TempDir Path dir) throws Exception {
        var data = dir.resolve("data");
        var file = data.resolve("db").resolve("lifeline.mv.db");
        // H2 compacts for up to 200 ms when it closes, and how much it manages then depends on the machine: not here
        // (nor in the shell below, which may close it too), so that what the command gives back does not
        var uncompacted = org.lifeline.platform.Databases.embeddedH2(data) + ";MAX_COMPACT_TIME=0";
        try (var context = start(data, "--spring.datasource.url=" + uncompacted, "--spring.datasource.username=sa")) {
            // a commit each: each writes a new part of the file, whose space H2 reuses only after 45 s
            for (int i = 0; i < 400; i++) {
                var chat = String.valueOf(70_000 + i);
                inTransaction(context, conversations -> conversations.findOrCreateContact("telegram", chat, "ru"));
            }
        }
        // another process holds it (a Lifeline still running, say)
        try (var shell = org.lifeline.testing.H2Shell.holding(uncompacted)) {
            var running = CommandRun.of("database", "compact", "--data-dir", data.toString());
            assertThat(running.exit()).isEqualTo(1);
            assertThat(running.err()).contains(file + " is in use by another process: stop Lifeline first");
        }
        var before = Files.size(file);

        var run = CommandRun.of("database", "compact", "--data-dir", data.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        // the journal only where there is one (this node took in no update)
        assertThat(run.out()).contains(file + ": " + String.format("%,d", before) + " bytes, now ")
                .doesNotContain("lifeline-intake.mv.db");
        assertThat(Files.size(file)).as("from %,d bytes", before).isLessThan(before / 10);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (var context = start(data)) {
            java.util.Optional<?> found = inTransaction(context, conversations -> conversations.findContact("telegram", "70399"));
            assertThat(found).isPresent();
        }
        var nowhere = CommandRun.of("database", "compact", "--data-dir", dir.resolve("nowhere").toString());
        assertThat(nowhere.exit()).isEqualTo(1);
        assertThat(nowhere.err()).contains("no embedded database in");
    }

    @Test
    void aScriptThatFailsHalfwayLeavesNoDatabaseInThePlace(@TempDir Path dir) throws Exception {
        var moved = Files.createDirectories(dir.resolve("moved"));
        try (var connection = java.sql.DriverManager.getConnection("jdbc:h2:file:" + moved.resolve("lifeline"));
                var statement = connection.createStatement()) {
            statement.execute("create table note (id int primary key, body varbinary(64))");
            statement.execute("insert into note select x, cast(x as varbinary) from system_range(1, 500)");
            statement.execute("create trigger note_written after insert on note for each row call \""
                    + RefusingTrigger.class.getName() + "\"");
        }
        var data = dir.resolve("data");
        RefusingTrigger.refusing = true;
        try {
            var run = CommandRun.of("database", "recover", moved.resolve("lifeline.mv.db").toString(),
                    "--data-dir", data.toString());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("failed to run (H2 error").contains("nothing was made")
                    .doesNotContain("insert", "INSERT", "note_written");
            assertThat(data.resolve("db").resolve("lifeline.mv.db")).as("no half database to start on").doesNotExist();
            assertThat(data.resolve("db")).isEmptyDirectory();
        } finally {
            RefusingTrigger.refusing = false;
        }
    }

    /** A trigger whose creation fails while {@link #refusing}: the recovery's script then fails after its data. */
    public static final class RefusingTrigger implements org.h2.api.Trigger {

        static volatile boolean refusing;

        @Override
        public void init(java.sql.Connection connection, String schema, String trigger, String table, boolean before,
                         int type) throws java.sql.SQLException {
            if (refusing) {
                throw new java.sql.SQLException("refused", "HY000", 42_001);
            }
        }

        @Override
        public void fire(java.sql.Connection connection, Object[] before, Object[] after) {
        }
    }
}
