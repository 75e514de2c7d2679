package org.lifeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.platform.DataDirectory;
import org.lifeline.platform.PlatformSettings;
import org.lifeline.platform.SqlTimestamps;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How far a database has settled an erasure journal, kept in the database by the journal's id: a start reads only
 * what the journal gained since, a database restored from an older backup has its older record and erases again all
 * that came after, and each node's journal has its own record.
 */
@SpringBootTest
@PersistenceTest
class ErasureJournalSettlementIntegrationTests {

    @Autowired
    TinkDataProtection protection;

    @Autowired
    DataKeys dataKeys;

    @Autowired
    ErasureJournal journal;

    @Autowired
    ErasureReapplication reapplication;

    @Autowired
    SettledJournals settledJournals;

    @Autowired
    DataProtection dataProtection;

    @Autowired
    List<ErasedSubjects> subjects;

    @Autowired
    AccessRecord access;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    Clock clock;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path otherNode;

    @Test
    void aStartReadsOnlyWhatTheJournalGainedSinceThisDatabaseSettledIt() throws Exception {
        var key = protection.newDataKey();
        var live = row(key);
        protection.destroy(key);
        var withIt = Files.size(journal.file());
        reapplication.reapply();
        assertThat(settled(journal)).isGreaterThanOrEqualTo(withIt);

        // the key's row as it was live, the record left as it is: its entry lies in what this database settled
        putBack(live);
        reapplication.reapply();

        assertThat(isLive(key)).as("the settled part of the journal was not read again").isTrue();
        protection.destroy(key);
    }

    @Test
    void aDatabaseRestoredFromAnOlderBackupErasesAgainEverythingAfterIt() throws Exception {
        var key = protection.newDataKey();
        reapplication.reapply();
        // the backup: the key's row and the record of the journal, as they are now
        var live = row(key);
        var backedUp = jdbc.sql("select * from erasure_journal_settled where journal_id = ?").param(journal.id())
                .query().singleRow();
        protection.destroy(key);
        reapplication.reapply();

        putBack(live);
        jdbc.sql("update erasure_journal_settled set settled_bytes = ?, settled_seq = ? where journal_id = ?")
                .params(backedUp.get("settled_bytes"), backedUp.get("settled_seq"), journal.id()).update();
        reapplication.reapply();

        assertThat(isLive(key)).as("erased again").isFalse();
        assertThat(settled(journal)).as("settled up to the journal's end, past the erasure")
                .isGreaterThan(((Number) backedUp.get("settled_bytes")).longValue());
    }

    @Test
    void eachNodesJournalHasItsOwnRecord() throws Exception {
        // this node's journal settled past the start of the other's first entry
        for (var i = 0; i < 3; i++) {
            protection.destroy(protection.newDataKey());
        }
        reapplication.reapply();
        var other = new ErasureJournal(new PrivacySettings(null, null, 100, Duration.ofMinutes(1),
                otherNode.resolve("erasures.log")), new DataDirectory(new PlatformSettings(otherNode, false)));
        var otherReapplication = new ErasureReapplication(other, dataKeys, dataProtection, subjects, access,
                transactions, settledJournals, clock);
        var onlyThere = protection.newDataKey();
        other.append(List.of(new ErasureJournal.Entry(clock.instant(), onlyThere.value())));
        var withIt = Files.size(other.file());
        var settledHere = settled(journal);
        assertThat(withIt).isLessThan(settledHere);

        otherReapplication.reapply();

        assertThat(isLive(onlyThere)).as("the other node's journal read from its start").isFalse();
        assertThat(other.id()).isNotEqualTo(journal.id());
        assertThat(settled(other)).isGreaterThanOrEqualTo(withIt);
        assertThat(settled(journal)).as("this node's own record, as it was").isEqualTo(settledHere);

        // erased through this node: the other node's next start finds it among the keys destroyed since
        var here = protection.newDataKey();
        protection.destroy(here);
        otherReapplication.reapply();

        assertThat(other.read()).containsKey(here.value());
    }

    @Test
    void keysDestroyedInATransactionOfItsOwnInsideAnotherAreNumberedToo() {
        var outer = protection.newDataKey();
        var inner = protection.newDataKey();
        var before = dataKeys.lastDestruction();
        var ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            protection.destroy(outer);
            ownTransaction.executeWithoutResult(own -> protection.destroy(inner));
        });

        assertThat(dataKeys.destroyedAfter(before)).containsKeys(outer.value(), inner.value());
    }

    /**
     * A node still running code from before the numbering (V318), beside nodes that migrated the database, destroys a
     * key without a number: no start that has settled its journal would ever ask for it, so a database restored from an
     * older backup would keep it live. The database refuses it, and the erasure fails whole rather than half done.
     */
    @Test
    void theDatabaseRefusesAKeyDestroyedWithoutItsNumber() {
        var key = protection.newDataKey();
        var before = dataKeys.lastDestruction();

        var refused = catchThrowable(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> jdbc
                .sql("""
                        update data_key set wrapped_key = null, master_key_id = null, destroyed_at = ?
                        where id = ? and destroyed_at is null""")
                .params(SqlTimestamps.of(clock.instant()), key.value()).update()));

        assertThat(refused).as("the destroy as code from before V318 does it").isInstanceOf(
                DataIntegrityViolationException.class);
        assertThat(isLive(key)).isTrue();
        protection.destroy(key);
        assertThat(dataKeys.destroyedAfter(before)).containsKey(key.value());
    }

    private long settled(ErasureJournal journal) {
        return settledJournals.find(journal.id()).orElseThrow().bytes();
    }

    private Map<String, Object> row(DataKeyId key) {
        return jdbc.sql("select id, wrapped_key, master_key_id from data_key where id = ?").param(key.value())
                .query().singleRow();
    }

    /** The key's row as it was while live, as a restored backup has it. */
    private void putBack(Map<String, Object> live) {
        jdbc.sql("""
                        update data_key set wrapped_key = ?, master_key_id = ?, destroyed_at = null, destroyed_seq = null
                        where id = ?""")
                .params(live.get("wrapped_key"), live.get("master_key_id"), live.get("id")).update();
    }

    private boolean isLive(DataKeyId key) {
        return new TransactionTemplate(transactions).execute(status -> dataKeys.liveAmong(List.of(key.value()))
                .contains(key.value()));
    }
}
