package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.channels.ChannelIntake.Outcome;
import org.lifeline.platform.BackgroundWork;
import org.lifeline.platform.Databases;
import org.lifeline.platform.PlatformSettings;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.StoredUpdates;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On H2 the webhooks' updates are committed to the intake journal and moved into {@code inbound_update} by a
 * background job ({@link IntakeJournal}); on PostgreSQL there is no journal. On H2 a database of its own (no other
 * test's node moves its journal), with the background work paused so that each test moves when it says.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class IntakeJournalIntegrationTests {

    static final String ENDPOINT = "journal_bot";
    static final AtomicLong KEYS = new AtomicLong();

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        if (!DatabaseAvailability.onPostgres()) {
            // the URL too: the embedded default's is set from the data directory before these properties are seen
            // (on PostgreSQL the shared database's data keys need the keys of the usual data directory)
            var dataDir = java.nio.file.Path.of(System.getProperty("lifeline.data-dir") + "-intake-journal");
            registry.add("lifeline.data-dir", dataDir::toString);
            registry.add("spring.datasource.url", () -> Databases.embeddedH2(dataDir));
            registry.add("spring.datasource.username", () -> "sa");
        }
    }

    @Autowired
    Intake intake;
    @Autowired
    IntakeJournal journal;
    @Autowired
    InboundUpdates updates;
    @Autowired
    BackgroundWork background;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Environment environment;
    @Autowired
    Adapters adapters;
    @Autowired
    org.springframework.context.ApplicationContext context;

    @BeforeEach
    void pauseTheMoves() {
        background.stop();
    }

    @AfterEach
    void resume() {
        background.start();
    }

    @Test
    void aWebhooksUpdatesAreCommittedToTheJournalAndMovedInTheirOrder() {
        if (DatabaseAvailability.onPostgres()) {
            assertThat(journal.active()).as("no journal on PostgreSQL").isFalse();
            var key = key();
            assertThat(accept("sender-a", key)).isEqualTo(Outcome.STORED);
            assertThat(mainCount(key)).as("in inbound_update at once").isEqualTo(1);
            return;
        }
        assertThat(journal.active()).isTrue();
        var keys = List.of(key(), key(), key(), key());
        var senders = List.of("sender-a", "sender-b", "sender-a", "sender-a");
        for (int i = 0; i < keys.size(); i++) {
            assertThat(accept(senders.get(i), keys.get(i))).isEqualTo(Outcome.STORED);
        }
        assertThat(journal.waiting()).isEqualTo(4);
        assertThat(keys).allSatisfy(key -> assertThat(mainCount(key)).as("not moved yet").isZero());
        assertThat(stored().count("endpoint = ? and idempotency_key in (?, ?, ?, ?)", ENDPOINT, keys.get(0), keys.get(1),
                keys.get(2), keys.get(3))).as("stored, in the journal").isEqualTo(4);
        assertThat(intake.idle("telegram", ENDPOINT, "sender-a")).as("waiting in the journal counts as pending").isFalse();

        assertThat(journal.moveOnce()).isEqualTo(4);

        assertThat(journal.waiting()).isZero();
        assertThat(jdbc.sql("select idempotency_key from inbound_update where endpoint = ? and idempotency_key in (?, ?, ?, ?) order by id")
                .params(ENDPOINT, keys.get(0), keys.get(1), keys.get(2), keys.get(3)).query(String.class).list())
                .as("moved in the order they were committed").containsExactlyElementsOf(keys);
        assertThat(jdbc.sql("select state from inbound_update where endpoint = ? and idempotency_key = ?")
                .params(ENDPOINT, keys.getFirst()).query(String.class).single()).isEqualTo(InboundUpdates.PENDING);
        assertThat(intake.idle("telegram", ENDPOINT, "sender-a")).as("pending in inbound_update").isFalse();
        assertThat(journal.moveOnce()).as("nothing left").isZero();
    }

    @Test
    void aRedeliveryIsADuplicateInTheJournalAndAfterItsMove() {
        var key = key();
        assertThat(accept("sender-c", key)).isEqualTo(Outcome.STORED);
        assertThat(accept("sender-c", key)).as("while in the journal").isEqualTo(Outcome.DUPLICATE);
        journal.moveOnce();
        assertThat(accept("sender-c", key)).as("once moved").isEqualTo(Outcome.DUPLICATE);
        journal.moveOnce();
        assertThat(mainCount(key)).isEqualTo(1);
        assertThat(journal.waiting()).isZero();
    }

    @Test
    void aMoveRepeatedAfterACrashBeforeItsDeleteStoresNothingTwice() {
        if (!journal.active()) {
            return;
        }
        var key = key();
        assertThat(accept("sender-d", key)).isEqualTo(Outcome.STORED);
        // as if a move had committed into inbound_update and the node died before deleting from the journal
        var row = journalRow(key);
        jdbc.sql(InboundUpdates.INSERT).params(row).update();

        assertThat(journal.moveOnce()).isEqualTo(1);
        assertThat(mainCount(key)).isEqualTo(1);
        assertThat(journal.waiting()).isZero();
    }

    @Test
    void anUpdateRefusedOnItsOwnStaysInTheJournalAndTheOthersMove() throws Exception {
        if (!journal.active()) {
            return;
        }
        var good = key();
        var refused = key();
        assertThat(accept("sender-e", good)).isEqualTo(Outcome.STORED);
        // a data key the main database does not know: its foreign key refuses this one row
        try (var connection = journalConnection(); var insert = connection.prepareStatement(IntakeJournal.APPEND)) {
            Object[] values = {"telegram", ENDPOINT, refused, new byte[] {1, 2, 3}, UUID.randomUUID(), new byte[] {4},
                    InboundUpdates.PENDING, OffsetDateTime.now(ZoneOffset.UTC)};
            for (int v = 0; v < values.length; v++) {
                insert.setObject(v + 1, values[v]);
            }
            insert.executeUpdate();
        }

        assertThat(journal.moveOnce()).isEqualTo(1);
        assertThat(mainCount(good)).isEqualTo(1);
        assertThat(journal.waiting()).as("the refused one, to be tried again").isEqualTo(1);
        assertThat(journal.moveOnce()).isZero();
        assertThat(journal.waiting()).isEqualTo(1);

        try (var connection = journalConnection(); var delete = connection.prepareStatement(
                "delete from intake_update where idempotency_key = ?")) {
            delete.setString(1, refused);
            delete.executeUpdate();
        }
    }

    @Test
    void duringAFloodAMoveWaitsWhileProcessingHasEnoughPending(@Autowired IntakeFirst intakeFirst) {
        if (!journal.active()) {
            return;
        }
        var key = key();
        assertThat(accept("sender-g", key)).isEqualTo(Outcome.STORED);
        var backlog = backlog(served());
        duringAFlood(intakeFirst, backlog, () -> {
            assertThat(journal.moveStep()).as("a flood, and a backlog to process").isFalse();
            assertThat(journal.waiting()).isEqualTo(1);

            removeBacklog(backlog);
            assertThat(journal.servedBacklogAtLeast(IntakeJournal.FLOOD_BACKLOG)).isFalse();
            assertThat(journal.moveStep()).as("a flood, and less than the backlog pending").isTrue();
        });
        assertThat(mainCount(key)).isEqualTo(1);
    }

    @Test
    void updatesOfAnEndpointNoNodeServesDoNotHoldTheMovesBackDuringAFlood(@Autowired IntakeFirst intakeFirst) {
        if (!journal.active()) {
            return;
        }
        var key = key();
        assertThat(accept("sender-j", key)).isEqualTo(Outcome.STORED);
        var unserved = new InboundUpdates.Endpoint("telegram", "gone_" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(adapters.served()).doesNotContain(unserved);
        var backlog = backlog(unserved);
        duringAFlood(intakeFirst, backlog, () -> {
            assertThat(journal.servedBacklogAtLeast(IntakeJournal.FLOOD_BACKLOG))
                    .as("pending, but for no endpoint this node serves").isFalse();
            assertThat(journal.moveStep()).as("processing would have nothing to do without the move").isTrue();
        });
        assertThat(mainCount(key)).isEqualTo(1);
    }

    /**
     * Runs the steps while the intake is busy (two requests being stored), then checks the journal emptied; removes
     * the backlog whatever happens.
     */
    private void duringAFlood(IntakeFirst intakeFirst, String backlog, Runnable steps) {
        try {
            intakeFirst.began();
            intakeFirst.began();
            try {
                assertThat(intakeFirst.busy()).isTrue();
                steps.run();
                assertThat(journal.waiting()).isZero();
            } finally {
                intakeFirst.ended();
                intakeFirst.ended();
            }
        } finally {
            removeBacklog(backlog);
        }
    }

    @Test
    void withoutAFloodAMoveDoesNotWaitForTheBacklog(@Autowired IntakeFirst intakeFirst) {
        if (!journal.active()) {
            return;
        }
        var key = key();
        assertThat(accept("sender-h", key)).isEqualTo(Outcome.STORED);
        var backlog = backlog(served());
        try {
            assertThat(journal.servedBacklogAtLeast(IntakeJournal.FLOOD_BACKLOG)).isTrue();
            // an earlier test's flood counts as recent for a few milliseconds
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !intakeFirst.busy());
            assertThat(journal.moveStep()).isTrue();
            assertThat(mainCount(key)).isEqualTo(1);
        } finally {
            removeBacklog(backlog);
        }
    }

    @Test
    void turnedOffItStillMovesWhatWasLeftInIt(@Autowired PlatformSettings platform) {
        if (!journal.active()) {
            return;
        }
        var key = key();
        assertThat(accept("sender-i", key)).isEqualTo(Outcome.STORED);
        // a node started with lifeline.channels.intake-journal=false on this database (its job never started here)
        var turnedOff = another(false, platform, environment);
        try {
            assertThat(turnedOff.active()).as("new updates go straight into inbound_update").isFalse();
            assertThat(turnedOff.waiting()).isEqualTo(1);
            assertThat(turnedOff.moveOnce()).as("the one left is moved").isEqualTo(1);
            assertThat(mainCount(key)).isEqualTo(1);
        } finally {
            turnedOff.destroy();
        }
        assertThatThrownBy(turnedOff::waiting).as("its pool is closed when the node stops")
                .isInstanceOf(org.springframework.dao.DataAccessResourceFailureException.class);
    }

    @Test
    void aJournalThatCannotBeReadStopsTheStartWithAClearError(@TempDir Path dataDir) throws Exception {
        if (!journal.active()) {
            return;
        }
        // a journal file torn by a power cut, or overwritten: not an H2 file at all
        Files.createDirectories(dataDir.resolve("db"));
        var garbage = new byte[64 * 1024];
        new java.util.Random(17).nextBytes(garbage);
        Files.write(dataDir.resolve("db").resolve("lifeline-intake.mv.db"), garbage);

        for (var on : List.of(true, false)) {
            var thrown = catchThrowable(() -> another(on, new PlatformSettings(dataDir, true), embeddedIn(dataDir)));
            assertThat(thrown).as("journal on: %s", on)
                    .isInstanceOf(IntakeJournalUnreadable.class)
                    .hasMessageContaining(dataDir.resolve("db").resolve("lifeline-intake").toString())
                    .hasMessageContaining("If the intake journal cannot be opened");
            // what the start-up failure says instead of a stack trace
            var analysis = new IntakeJournalFailureAnalyzer().analyze(new IllegalStateException("context failed", thrown));
            assertThat(analysis.getDescription()).isEqualTo(thrown.getMessage());
            assertThat(analysis.getAction()).contains(dataDir.resolve("db").resolve("lifeline-intake.mv.db") + " aside")
                    .contains("If the intake journal cannot be opened", "database recover");
        }
    }

    @Test
    void turnedOffWithNoJournalLeftItOpensNoneAndCreatesNone(@TempDir Path dataDir) {
        if (!journal.active()) {
            return;
        }
        var none = another(false, new PlatformSettings(dataDir, true), embeddedIn(dataDir));

        assertThat(none.active()).isFalse();
        assertThat(none.waiting()).isZero();
        assertThat(none.moveOnce()).isZero();
        assertThat(dataDir.resolve("db").resolve("lifeline-intake.mv.db")).doesNotExist();
        none.destroy();
    }

    /** A journal as another node would open it, with the journal on or off, its job never started. */
    private IntakeJournal another(boolean on, PlatformSettings platform, Environment settings) {
        var channels = context.getBean(ChannelsSettings.class);
        var setting = new ChannelsSettings(channels.uncertainAfter(), channels.inFlightPerEndpoint(),
                channels.inboundWorkers(), channels.inboundBatch(), channels.inboundBatchTime(), channels.intakeFirst(), on,
                channels.sendLease(), channels.inboundRetryAfter());
        return new IntakeJournal(setting, platform, settings, context.getBean(org.springframework.jdbc.core.JdbcTemplate.class),
                context.getBean(org.springframework.transaction.PlatformTransactionManager.class), new BackgroundWork(platform),
                context.getBeanProvider(ChannelWorkers.class), context.getBeanProvider(Adapters.class),
                context.getBean(IntakeFirst.class));
    }

    /** The settings of a node on the embedded database of another data directory. */
    private static Environment embeddedIn(Path dataDir) {
        return new org.springframework.mock.env.MockEnvironment()
                .withProperty("spring.datasource.url", Databases.embeddedH2(dataDir))
                .withProperty("spring.datasource.username", "sa");
    }

    @Test
    void whatH2sRecoveryToolReadsFromADamagedJournalIsRecoveredIntoANewOneByteForByte(@TempDir Path dir) throws Exception {
        if (!journal.active()) {
            return;
        }
        // `database recover` on a journal moved aside (H2 reads a damaged file the same way, as far as it can): the
        // script inserts the ids it read, which a column generated always refuses, and loads every table through
        // columns of character strings, which altered bytes that are not UTF-8 (a payload's ciphertext)
        var url = Databases.h2Beside(Databases.embeddedH2(dir.resolve("old")), "intake").orElseThrow();
        var sender = new byte[32];
        var payload = new byte[600];
        new java.util.Random(37).nextBytes(sender);
        new java.util.Random(41).nextBytes(payload);
        try (var connection = DriverManager.getConnection(url, "sa", "");
                var statement = connection.createStatement()) {
            statement.execute(IntakeJournal.TABLE.replace("generated by default", "generated always"));
            statement.execute(IntakeJournal.BY_DEFAULT);
            try (var insert = connection.prepareStatement("""
                    insert into intake_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, payload_enc, state, received_at)
                    values ('telegram', 'bot', '1', ?, random_uuid(), ?, 'PENDING', current_timestamp)""")) {
                insert.setBytes(1, sender);
                insert.setBytes(2, payload);
                insert.executeUpdate();
            }
        }
        var moved = dir.resolve("old").resolve("db").resolve("lifeline-intake.mv.db");

        int exit;
        try (var context = new org.lifeline.platform.CommandContext(org.lifeline.LifelineApplication.class)) {
            // restore takes the command context (it starts Lifeline on what it restored); recover does not use it
            exit = new picocli.CommandLine(new org.lifeline.platform.DatabaseCommand(), new picocli.CommandLine.IFactory() {
                @Override
                public <K> K create(Class<K> type) throws Exception {
                    for (var constructor : type.getDeclaredConstructors()) {
                        if (java.util.List.of(constructor.getParameterTypes())
                                .equals(java.util.List.of(org.lifeline.platform.CommandContext.class))) {
                            constructor.setAccessible(true);
                            return type.cast(constructor.newInstance(context));
                        }
                    }
                    return picocli.CommandLine.defaultFactory().create(type);
                }
            }).execute("recover", moved.toString(), "--data-dir", dir.resolve("new").toString());
        }

        assertThat(exit).isZero();
        // opened as Lifeline opens it
        var fresh = Databases.h2Beside(Databases.embeddedH2(dir.resolve("new")), "intake").orElseThrow();
        try (var connection = DriverManager.getConnection(fresh, "sa", ""); var statement = connection.createStatement()) {
            statement.execute("""
                    insert into intake_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, state, received_at)
                    values ('telegram', 'bot', '2', X'02', random_uuid(), 'PENDING', current_timestamp)""");
            try (var result = statement.executeQuery("select id, idempotency_key, sender_ref, payload_enc from intake_update order by id")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(2)).isEqualTo("1");
                assertThat(result.getBytes(3)).isEqualTo(sender);
                assertThat(result.getBytes(4)).isEqualTo(payload);
                assertThat(result.next()).as("a new update after the recovered one").isTrue();
                assertThat(result.getLong(1)).isGreaterThan(1);
            }
        }
    }

    @Test
    void anErasureRemovesWhatWaitsInTheJournal() {
        var first = key();
        var second = key();
        assertThat(accept("sender-f", first)).isEqualTo(Outcome.STORED);
        journal.moveOnce();
        assertThat(accept("sender-f", second)).isEqualTo(Outcome.STORED);

        intake.discardPending("telegram", ENDPOINT, "sender-f");

        assertThat(stored().count("endpoint = ? and idempotency_key in (?, ?)", ENDPOINT, first, second)).isZero();
        assertThat(intake.idle("telegram", ENDPOINT, "sender-f")).isTrue();
        journal.moveOnce();
        assertThat(stored().count("endpoint = ? and idempotency_key in (?, ?)", ENDPOINT, first, second))
                .as("nothing comes back").isZero();
    }

    @Test
    void theJournalIsADatabaseBesideTheMainOne() {
        assertThat(Databases.h2Beside("jdbc:h2:file:/data/db/lifeline;MODE=PostgreSQL;WRITE_DELAY=0", "intake"))
                .hasValue("jdbc:h2:file:/data/db/lifeline-intake;MODE=PostgreSQL;WRITE_DELAY=0");
        assertThat(Databases.h2Beside("jdbc:h2:~/lifeline", "intake")).hasValue("jdbc:h2:~/lifeline-intake");
        assertThat(Databases.h2Beside("jdbc:h2:mem:lifeline;DB_CLOSE_DELAY=-1", "intake"))
                .hasValue("jdbc:h2:mem:lifeline-intake;DB_CLOSE_DELAY=-1");
        assertThat(Databases.h2Beside("jdbc:h2:mem:", "intake")).as("private to each connection").isEmpty();
        assertThat(Databases.h2Beside("jdbc:h2:mem:;MODE=PostgreSQL", "intake")).isEmpty();
        assertThat(Databases.h2Beside("jdbc:postgresql://db/lifeline", "intake")).isEmpty();
    }

    /** An endpoint this node serves (its inbound workers are paused by these tests). */
    private InboundUpdates.Endpoint served() {
        assertThat(adapters.served()).isNotEmpty();
        return adapters.served().getFirst();
    }

    /**
     * {@link IntakeJournal#FLOOD_BACKLOG} updates pending in inbound_update for the endpoint; returns the prefix of
     * their keys, for {@link #removeBacklog}.
     */
    private String backlog(InboundUpdates.Endpoint endpoint) {
        var prefix = "backlog-" + UUID.randomUUID() + "-";
        // only the journal's own database (these tests return on PostgreSQL): the earlier tests' updates, pending for
        // an endpoint not served, would be the oldest and make the served backlog count short
        jdbc.sql("delete from inbound_update where state = ?").param(InboundUpdates.PENDING).update();
        var dataKey = jdbc.sql("select id from data_key fetch first 1 row only").query(UUID.class).single();
        for (int i = 0; i < IntakeJournal.FLOOD_BACKLOG; i++) {
            jdbc.sql(InboundUpdates.INSERT).params(endpoint.channel(), endpoint.endpoint(), prefix + i, new byte[] {9},
                    dataKey, null, InboundUpdates.PENDING, OffsetDateTime.now(ZoneOffset.UTC)).update();
        }
        return prefix;
    }

    private void removeBacklog(String prefix) {
        jdbc.sql("delete from inbound_update where idempotency_key like ?").param(prefix + "%").update();
    }

    private Outcome accept(String sender, String key) {
        return intake.accept("telegram", ENDPOINT, key, sender, "{\"update_id\":" + key + "}", 1_000_000);
    }

    private static String key() {
        return Long.toString(System.nanoTime() % 1_000_000_000L * 100 + KEYS.incrementAndGet() % 100);
    }

    private long mainCount(String key) {
        return jdbc.sql("select count(*) from inbound_update where endpoint = ? and idempotency_key = ?")
                .params(ENDPOINT, key).query(Long.class).single();
    }

    private StoredUpdates stored() {
        return new StoredUpdates(jdbc, environment);
    }

    private java.sql.Connection journalConnection() throws java.sql.SQLException {
        var url = Databases.h2Beside(environment.getProperty("spring.datasource.url"), "intake").orElseThrow();
        return DriverManager.getConnection(url, environment.getProperty("spring.datasource.username", "sa"),
                environment.getProperty("spring.datasource.password", ""));
    }

    private Object[] journalRow(String key) {
        try (var connection = journalConnection(); var select = connection.prepareStatement("""
                select channel, endpoint, idempotency_key, sender_ref, data_key_id, payload_enc, state, received_at
                from intake_update where endpoint = ? and idempotency_key = ?""")) {
            select.setString(1, ENDPOINT);
            select.setString(2, key);
            try (var result = select.executeQuery()) {
                assertThat(result.next()).as("in the journal").isTrue();
                return new Object[] {result.getString(1), result.getString(2), result.getString(3), result.getBytes(4),
                        result.getObject(5, UUID.class), result.getBytes(6), result.getString(7),
                        result.getObject(8, OffsetDateTime.class)};
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
