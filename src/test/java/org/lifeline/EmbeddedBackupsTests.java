package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifeline.EmbeddedLifeline.inTransaction;
import static org.lifeline.EmbeddedLifeline.start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.platform.EmbeddedBackups;

/**
 * The running server's backups of the embedded database ({@link EmbeddedBackups}) and {@code database restore}: a
 * backup is written when the newest is older than {@code lifeline.backup.every}, the oldest beyond
 * {@code lifeline.backup.keep} go, and a restored backup starts Lifeline with the same keys. Embedded H2 only, on data
 * directories of their own.
 */
class EmbeddedBackupsTests {

    /**
     * A chat id long enough not to turn up by chance in the backup's hexadecimal ciphertext, keys and time stamps: a
     * four-digit one ("4242") did in one clean-clone CI run, and failed the check that it is not there.
     */
    private static final String CHAT_ID = "7301948265163";

    @Test
    void aBackupIsWrittenWhenDueKeptOwnerOnlyAndRestoresIntoADatabaseLifelineReads(@TempDir Path dir) throws Exception {
        var data = dir.resolve("data");
        var backups = data.resolve("backups");
        try (var context = start(data, "--lifeline.backup.every=1d", "--lifeline.backup.keep=3")) {
            inTransaction(context, conversations -> conversations.findOrCreateContact("telegram", CHAT_ID, "ru"));
            var first = context.getBean(EmbeddedBackups.class).backUpIfDue();
            assertThat(first).as("none yet: one is due").isPresent();
            assertThat(Files.getPosixFilePermissions(backups)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            Files.delete(first.get());
            // three older backups, someone else's file, and what a backup stopped midway left
            for (var stamp : new String[] {"20260101T000000Z", "20260102T000000Z", "20260103T000000Z"}) {
                Files.writeString(backups.resolve("lifeline-" + stamp + ".sql.gz"), "old");
            }
            var notOurs = Files.writeString(backups.resolve("notes.txt"), "kept");
            // written while the clock ran years ahead: no reason to wait until then
            var ahead = Files.writeString(backups.resolve("lifeline-29990101T000000Z.sql.gz"), "from the future");
            var partial = Files.writeString(backups.resolve("lifeline-20260104T000000Z.sql.gz.partial"), "cut");

            var written = context.getBean(EmbeddedBackups.class).backUpIfDue();
            var again = context.getBean(EmbeddedBackups.class).backUpIfDue();

            assertThat(written).isPresent();
            assertThat(again).as("the newest is not a day old").isEmpty();
            try (var files = Files.list(backups)) {
                assertThat(files.map(file -> file.getFileName().toString()))
                        .containsExactlyInAnyOrder(written.get().getFileName().toString(), "notes.txt",
                                "lifeline-20260103T000000Z.sql.gz", "lifeline-20260102T000000Z.sql.gz",
                                ahead.getFileName().toString());
            }
            assertThat(notOurs).exists();
            assertThat(partial).doesNotExist();
            assertThat(Files.getPosixFilePermissions(written.get())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            // ciphertext only: the chat id is neither in the backup nor in its gzip
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(written.get()))) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("CREATE").doesNotContain(CHAT_ID);
            }

            var elsewhere = dir.resolve("elsewhere");
            var restored = CommandRun.of("database", "restore", written.get().toString(), "--data-dir", elsewhere.toString());

            assertThat(restored.exit()).as(restored.err()).isZero();
            assertThat(restored.out()).contains("Restored into " + elsewhere.resolve("db").resolve("lifeline.mv.db"))
                    .containsPattern("contact +1 rows");
            assertThat(Files.getPosixFilePermissions(elsewhere.resolve("db").resolve("lifeline.mv.db")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            var over = CommandRun.of("database", "restore", written.get().toString(), "--data-dir", elsewhere.toString());
            assertThat(over.exit()).isEqualTo(1);
            assertThat(over.err()).contains("exists: move it aside first");

            // the keys are not in the backup: the same ones, put in place
            Files.createDirectories(elsewhere.resolve("keys"));
            try (Stream<Path> keys = Files.list(data.resolve("keys"))) {
                for (var key : keys.toList()) {
                    Files.copy(key, elsewhere.resolve("keys").resolve(key.getFileName()));
                }
            }
            try (var other = start(elsewhere, "--lifeline.backup.every=1d")) {
                var found = inTransaction(other, conversations -> conversations.findContact("telegram", CHAT_ID));
                assertThat(found).isPresent();
                java.util.Optional<String> id = inTransaction(other, conversations -> conversations.externalId(found.get()));
                assertThat(id).hasValue(CHAT_ID);
            }
        }
    }

    @Test
    void aRestoreErasesAgainTheRequestersErasedAfterTheBackup(@TempDir Path dir) throws Exception {
        var data = dir.resolve("data");
        var text = "Я Степан Кривцов, удалите мои данные";
        java.nio.file.Path backup;
        org.lifeline.conversations.ContactId contact;
        org.lifeline.conversations.ConversationId conversation;
        try (var context = start(data, "--lifeline.backup.every=1d")) {
            contact = inTransaction(context, conversations -> conversations.findOrCreateContact("telegram", CHAT_ID, "ru"));
            var kept = contact;
            conversation = inTransaction(context, conversations -> conversations.openOrResumeConversation(kept, "ru", null));
            var in = conversation;
            inTransaction(context, conversations -> conversations.recordInbound(in, text, "1"));
            backup = context.getBean(EmbeddedBackups.class).backUpIfDue().orElseThrow();
            inTransaction(context, conversations -> {
                conversations.forget(kept);
                return null;
            });
        }
        Files.move(data.resolve("db").resolve("lifeline.mv.db"), dir.resolve("lifeline.mv.db"));

        var restored = CommandRun.of("database", "restore", backup.toString(), "--data-dir", data.toString());

        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("Restored into ")
                .contains("Re-applied 1 erasures recorded after this database's backup (1 contacts).");
        assertThat(org.lifeline.testing.ForgettingWitness.forgettings(contact.value())).isEqualTo(2);
        var journal = Files.readString(data.resolve("keys").resolve("erasures.log"));
        assertThat(journal).doesNotContain(CHAT_ID).doesNotContain(text).doesNotContain("Степан");
        try (var again = start(data, "--lifeline.backup.every=1d")) {
            var kept = contact;
            var in = conversation;
            java.util.Optional<String> id = inTransaction(again, conversations -> conversations.externalId(kept));
            java.util.Optional<org.lifeline.conversations.ContactId> found =
                    inTransaction(again, conversations -> conversations.findContact("telegram", CHAT_ID));
            java.util.List<org.lifeline.conversations.MessageView> transcript =
                    inTransaction(again, conversations -> conversations.transcript(in));
            assertThat(id).isEmpty();
            assertThat(found).isEmpty();
            assertThat(transcript).extracting(org.lifeline.conversations.MessageView::body).containsOnlyNulls();
        }
        var second = CommandRun.of("database", "restore", backup.toString(), "--data-dir", dir.resolve("keyless").toString());
        assertThat(second.out()).contains("The keys are not in ");
        assertThat(dir.resolve("keyless").resolve("keys")).doesNotExist();
    }

    @Test
    void aBackupTakenWhileConversationsOpenRestoresWhole(@TempDir Path dir) throws Exception {
        var data = dir.resolve("data");
        try (var context = start(data, "--lifeline.backup.every=1d")) {
            for (int i = 0; i < 300; i++) {
                var chat = String.valueOf(10_000 + i);
                inTransaction(context, conversations -> conversations.openOrResumeConversation(
                        conversations.findOrCreateContact("telegram", chat, "ru"), "ru", null));
            }
            // a contact and his conversation committed together, again and again, while the backup is written: read
            // table by table as each is reached, a conversation of a contact the script had passed would be in it
            // without him (H2's script adds its references unchecked, so the restore would not even fail)
            var writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            var written = new java.util.concurrent.atomic.AtomicInteger();
            var writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; writing.get(); i++) {
                    var chat = String.valueOf(20_000 + i);
                    inTransaction(context, conversations -> conversations.openOrResumeConversation(
                            conversations.findOrCreateContact("telegram", chat, "ru"), "ru", null));
                    written.incrementAndGet();
                }
            });
            java.util.Optional<Path> backup;
            try {
                org.awaitility.Awaitility.await().until(() -> written.get() >= 20);
                var before = written.get();
                backup = context.getBean(EmbeddedBackups.class).backUpIfDue();
                assertThat(written.get()).as("conversations were opened while the backup was written").isGreaterThan(before);
            } finally {
                writing.set(false);
                writer.join();
            }

            var restored = CommandRun.of("database", "restore", backup.orElseThrow().toString(),
                    "--data-dir", dir.resolve("elsewhere").toString());

            assertThat(restored.exit()).as(restored.err()).isZero();
            try (var connection = java.sql.DriverManager.getConnection("jdbc:h2:file:"
                    + dir.resolve("elsewhere").resolve("db").resolve("lifeline") + ";DATABASE_TO_LOWER=TRUE", "sa", "");
                    var statement = connection.createStatement();
                    var rows = statement.executeQuery("select count(*), count(*) filter (where not exists"
                            + " (select 1 from contact where contact.id = conversation.contact_id)) from conversation")) {
                rows.next();
                assertThat(rows.getLong(1)).isGreaterThan(300);
                assertThat(rows.getLong(2)).as("conversations without their contact").isZero();
            }
        }
    }

    @Test
    void noneWhenTurnedOffAndARestoreOfWhatIsNoBackupMakesNothing(@TempDir Path dir) throws Exception {
        var data = dir.resolve("data");
        try (var context = start(data, "--lifeline.backup.every=0")) {
            assertThat(context.getBean(EmbeddedBackups.class).backUpIfDue()).isEmpty();
        }
        assertThat(data.resolve("backups")).doesNotExist();

        var text = Files.writeString(dir.resolve("backup.sql"), "insert into nowhere values (1);");
        var empty = Files.writeString(dir.resolve("empty.sql"), "");
        var elsewhere = dir.resolve("elsewhere");
        var failing = CommandRun.of("database", "restore", text.toString(), "--data-dir", elsewhere.toString());
        var nothing = CommandRun.of("database", "restore", empty.toString(), "--data-dir", elsewhere.toString());
        var missing = CommandRun.of("database", "restore", dir.resolve("gone.sql.gz").toString(), "--data-dir", elsewhere.toString());

        assertThat(failing.exit()).isEqualTo(1);
        assertThat(failing.err()).contains("failed to run (H2 error").contains("nothing was made").doesNotContain("nowhere");
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.err()).contains("made no table");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("is not a file");
        assertThat(elsewhere.resolve("db")).isEmptyDirectory();
    }

    @Test
    void theRunningServerWritesThemOnItsOwn(@TempDir Path dir) throws Exception {
        var data = dir.resolve("data");
        try (var context = start(data, "--lifeline.background-work=true", "--lifeline.backup.every=1s")) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                try (var files = Files.list(data.resolve("backups"))) {
                    return files.anyMatch(file -> file.getFileName().toString().matches("lifeline-\\d{8}T\\d{6}Z\\.sql\\.gz"));
                } catch (java.nio.file.NoSuchFileException e) {
                    return false;
                }
            });
        }
    }
}
