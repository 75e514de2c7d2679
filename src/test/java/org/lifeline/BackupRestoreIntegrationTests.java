package org.lifeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.MessageView;
import org.lifeline.platform.CommandContext;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.ForgettingWitness;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The backup routine of the README: a dump of the database (pg_dump on PostgreSQL, H2's SCRIPT on the embedded
 * database) restored on "another machine" reads back with the keys, and reveals nothing without them.
 */
@SpringBootTest
@PersistenceTest
class BackupRestoreIntegrationTests {

    private static final String NAME = "Пётр Беглов-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String CHAT_ID = "5" + (100_000_000L + (System.nanoTime() % 800_000_000L));

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path elsewhere;

    @Test
    void aDumpRestoredElsewhereReadsBackWithTheKeysAndRevealsNothingWithout() throws Exception {
        var contact = conversations.findOrCreateContact("telegram", CHAT_ID, "ru");
        var conversation = conversations.openOrResumeConversation(contact, "ru", null);
        conversations.recordInbound(conversation, "Я " + NAME + ", хочу сдаться", "1");
        var details = new LinkedHashMap<String, String>();
        details.put("name", NAME);
        var kase = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, details, "flow").id();

        var dump = dump();

        var text = Files.readString(dump, UTF_8);
        assertThat(text).as("the dump holds data").contains("support_case");
        for (var secret : List.of(NAME, CHAT_ID)) {
            assertThat(text).doesNotContain(secret)
                    .doesNotContain(HexFormat.of().formatHex(secret.getBytes(UTF_8)).toLowerCase(Locale.ROOT));
        }

        var withKeys = restore(dump, "with-keys");
        copyKeys(withKeys.dataDir());
        withRestored(withKeys, context -> {
            var restoredCases = context.bean(CaseManagement.class);
            var restoredConversations = context.bean(ConversationManagement.class);
            assertThat(restoredCases.find(kase).orElseThrow().details()).containsEntry("name", NAME);
            assertThat(restoredConversations.externalId(contact)).hasValue(CHAT_ID);
            assertThat(restoredConversations.transcript(conversation)).extracting(MessageView::body)
                    .containsExactly("Я " + NAME + ", хочу сдаться");
        });

        var withoutKeys = restore(dump, "without-keys");
        assertThatThrownBy(() -> withRestored(withoutKeys, context -> context.bean(CaseManagement.class)))
                .hasStackTraceContaining("The master keyset cannot unwrap the data keys in this database");
    }

    @Test
    void aRequesterErasedAfterTheDumpIsErasedAgainWhenLifelineStartsOnItRestored() throws Exception {
        var chatId = CHAT_ID + "7";
        var contact = conversations.findOrCreateContact("telegram", chatId, "ru");
        var conversation = conversations.openOrResumeConversation(contact, "ru", null);
        conversations.recordInbound(conversation, "Я " + NAME + ", удалите меня", "1");
        var kase = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, Map.of("name", NAME), "flow").id();
        var dump = dump();
        conversations.forget(contact);

        var restored = restore(dump, "after-erasure");
        copyKeys(restored.dataDir());
        var journal = Path.of(System.getProperty("lifeline.data-dir"), "keys", "erasures.log");
        Files.copy(journal, restored.dataDir().resolve("keys").resolve("erasures.log"));
        assertThat(ForgettingWitness.forgettings(contact.value())).isOne();
        withRestored(restored, context -> {
            var restoredConversations = context.bean(ConversationManagement.class);
            assertThat(restoredConversations.externalId(contact)).isEmpty();
            assertThat(restoredConversations.contact(contact).erased()).isTrue();
            assertThat(ForgettingWitness.forgettings(contact.value())).as("his ContactForgetting listeners ran again")
                    .isEqualTo(2);
            assertThat(restoredConversations.transcript(conversation)).extracting(MessageView::body).containsOnlyNulls();
            assertThat(context.bean(CaseManagement.class).find(kase).orElseThrow().erased()).isTrue();
        });
    }

    private Path dump() throws IOException, InterruptedException {
        var file = elsewhere.resolve("dump.sql");
        if (DatabaseAvailability.onPostgres()) {
            exec(List.of("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-n", schema(), "-f", file.toString(),
                    "test"));
        } else {
            jdbc.sql("script to '" + file.toAbsolutePath() + "'").query(rs -> {
            });
        }
        return file;
    }

    /** A database on "another machine": a fresh database (PostgreSQL) or data directory (H2) with the dump in it. */
    private Restored restore(Path dump, String name) throws Exception {
        var dataDir = Files.createDirectories(elsewhere.resolve(name));
        if (DatabaseAvailability.onPostgres()) {
            var database = "restore_" + name.replace('-', '_') + "_" + System.nanoTime();
            jdbc.sql("create database " + database).update();
            exec(List.of("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", database,
                    "-f", dump.toString()));
            return new Restored(dataDir, Map.of(
                    "spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/" + database + "?currentSchema="
                            + schema()), database);
        }
        var url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("lifeline")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (var connection = DriverManager.getConnection(url, "sa", "");
                var statement = connection.createStatement()) {
            statement.execute("runscript from '" + dump.toAbsolutePath() + "'");
        }
        return new Restored(dataDir, Map.of(), null);
    }

    private void copyKeys(Path dataDir) throws IOException {
        var keys = Path.of(System.getProperty("lifeline.data-dir"), "keys");
        var target = Files.createDirectories(dataDir.resolve("keys"));
        try (var files = Files.list(keys)) {
            for (var file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    /** Starts the application on the restored database, as a command would, with this data directory. */
    private void withRestored(Restored restored, java.util.function.Consumer<CommandContext> use) {
        var saved = new LinkedHashMap<String, String>();
        var properties = new LinkedHashMap<>(restored.properties());
        properties.put("lifeline.data-dir", restored.dataDir().toString());
        properties.forEach((key, value) -> saved.put(key, System.setProperty(key, value)));
        try (var context = new CommandContext(LifelineApplication.class)) {
            use.accept(context);
        } finally {
            saved.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
            if (restored.database() != null) {
                jdbc.sql("drop database if exists " + restored.database() + " with (force)").update();
            }
        }
    }

    private static String schema() {
        return System.getProperty("spring.flyway.schemas");
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    record Restored(Path dataDir, Map<String, String> properties, String database) {
    }
}
