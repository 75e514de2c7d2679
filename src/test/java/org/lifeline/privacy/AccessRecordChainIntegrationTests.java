package org.lifeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every kind of tampering with the access record, each done in a transaction that is rolled back afterwards, so
 * the shared database keeps an intact chain for the other tests.
 */
@SpringBootTest
@PersistenceTest
class AccessRecordChainIntegrationTests {

    @Autowired
    AccessRecord access;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    private long first;

    @BeforeEach
    void appendEntries() {
        var actor = UUID.randomUUID();
        access.record(actor, "case.read", UUID.randomUUID().toString(), Outcome.SUCCEEDED);
        first = Long.parseLong(access.head().split(":")[0]);
        access.record(actor, "transcript.read", UUID.randomUUID().toString(), Outcome.SUCCEEDED);
        access.record(null, "sign-in.password", null, Outcome.FAILED);
        access.record(actor, "case.status", UUID.randomUUID().toString(), Outcome.REFUSED);
    }

    @Test
    void anUntouchedRecordVerifies() {
        var result = access.verify(null);

        assertThat(result.problem()).isNull();
        assertThat(result.checked()).isGreaterThanOrEqualTo(4);
        assertThat(result.head()).isEqualTo(access.head());
        assertThat(access.verify(access.head()).intact()).isTrue();
    }

    @Test
    void detectsAnAlteredEntry() {
        assertBroken(tx -> jdbc.sql("update access_log set action = 'case.assign' where seq = ?").param(first + 1)
                .update(), "entry " + (first + 1) + " ");
        assertBroken(tx -> jdbc.sql("update access_log set actor_id = null where seq = ?").param(first).update(),
                "entry " + first + " ");
        assertBroken(tx -> jdbc.sql("update access_log set occurred_at = occurred_at - interval '1' hour where seq = ?")
                .param(first + 3).update(), "entry " + (first + 3) + " ");
    }

    @Test
    void detectsADeletedEntry() {
        assertBroken(tx -> jdbc.sql("delete from access_log where seq = ?").param(first + 1).update(),
                "entry " + (first + 1) + " is missing");
    }

    @Test
    void detectsEntriesDeletedFromTheEnd() {
        assertBroken(tx -> jdbc.sql("delete from access_log where seq >= ?").param(first + 2).update(),
                "entry " + (first + 2) + " to " + (first + 3) + " is missing");
    }

    @Test
    void detectsAnInsertedEntry() {
        assertBroken(tx -> jdbc.sql("""
                        insert into access_log (occurred_at, action, outcome) values (current_timestamp, 'case.read',
                        'SUCCEEDED')""").update(), "is not part of the chain: it was inserted");
        assertBroken(tx -> {
            // a forger who knows the hash function still cannot slot an entry in without breaking the next one
            jdbc.sql("update access_log set seq = -(seq + 1) where seq > ?").param(first + 1).update();
            jdbc.sql("update access_log set seq = -seq where seq < 0").update();
            jdbc.sql("""
                            insert into access_log (occurred_at, action, outcome, seq, entry_hash)
                            select occurred_at, action, outcome, seq + 1, entry_hash from access_log where seq = ?""")
                    .param(first + 1).update();
        }, "entry " + (first + 2) + " ");
    }

    @Test
    void detectsReorderedEntries() {
        assertBroken(tx -> {
            jdbc.sql("update access_log set seq = -1 where seq = ?").param(first + 1).update();
            jdbc.sql("update access_log set seq = ? where seq = ?").params(first + 1, first + 2).update();
            jdbc.sql("update access_log set seq = ? where seq = -1").param(first + 2).update();
        }, "entry " + (first + 1) + " ");
    }

    @Test
    void detectsATruncatedAndRebuiltRecordAgainstAnExportedHead() {
        var exported = access.head();

        transactions.executeWithoutResult(tx -> {
            jdbc.sql("delete from access_log").update();
            jdbc.sql("update access_log_head set seq = 0, entry_hash = ?, checkpoint_seq = 0, checkpoint_hash = ? "
                    + "where id = 1").params(AccessChain.GENESIS, AccessChain.GENESIS).update();
            // the forger rebuilds a consistent chain with entries of his choosing
            access.record(null, "sign-in.password", null, Outcome.FAILED);

            assertThat(access.verify(null).intact()).as("a rebuilt chain is consistent in itself").isTrue();
            assertThat(access.verify(exported).problem())
                    .contains("entry " + exported.split(":")[0] + " of the exported head is missing");
            tx.setRollbackOnly();
        });
        assertThat(access.verify(exported).intact()).isTrue();
    }

    @Test
    void detectsARebuiltRecordOfTheSameLength() {
        var exported = access.head();

        assertBroken(tx -> jdbc.sql("update access_log set action = 'sign-out' where seq = ?")
                .param(Long.parseLong(exported.split(":")[0])).update(), exported, "does not match its hash");
    }

    @Test
    void detectsEntriesDeletedFromTheStartWithTheCheckpointMovedPastThem() {
        var exported = access.head();
        Consumer<Object> cut = tx -> {
            // the forger moves the checkpoint to the hash stored with the last entry he deletes
            jdbc.sql("""
                            update access_log_head set checkpoint_seq = ?,
                              checkpoint_hash = (select entry_hash from access_log where seq = ?) where id = 1""")
                    .params(first + 1, first + 1).update();
            jdbc.sql("delete from access_log where seq <= ?").param(first + 1).update();
        };

        // a record never cut needs no seal, so a cut without one shows
        assertBroken(cut, exported, "are not sealed");
        assertBroken(tx -> {
            access.seal();
            cut.accept(tx);
        }, exported, "were changed by hand");
    }

    @Test
    void detectsEntriesPassedOffAsOlderThanTheChain() {
        Consumer<Object> forged = tx -> {
            jdbc.sql("update access_log_head set legacy_until_id = 1000000000000 where id = 1").update();
            jdbc.sql("""
                    insert into access_log (occurred_at, actor_id, action, subject_id, outcome)
                    values (current_timestamp, ?, 'transcript.read', ?, 'SUCCEEDED')""")
                    .params(UUID.randomUUID(), UUID.randomUUID().toString()).update();
        };

        assertBroken(forged, "are not sealed");
        assertBroken(tx -> {
            access.seal();
            forged.accept(tx);
        }, "were changed by hand");
    }

    @Test
    void retentionSealsWhatItCutsAndCutsNothingOfARecordChangedByHand() {
        transactions.executeWithoutResult(tx -> {
            access.seal();
            jdbc.sql("update access_log_head set checkpoint_seq = ?, checkpoint_hash = "
                    + "(select entry_hash from access_log where seq = ?) where id = 1").params(first, first).update();
            jdbc.sql("delete from access_log where seq <= ?").param(first).update();
            var left = jdbc.sql("select count(*) from access_log").query(Long.class).single();

            var newest = jdbc.sql("select max(occurred_at) from access_log").query(java.sql.Timestamp.class).single()
                    .toInstant();
            assertThat(access.removeOlderThan(newest.plusSeconds(1), false)).as("nothing cut after a cut by hand")
                    .isZero();
            assertThat(jdbc.sql("select count(*) from access_log").query(Long.class).single()).isEqualTo(left);
            tx.setRollbackOnly();
        });
        transactions.executeWithoutResult(tx -> {
            var head = Long.parseLong(access.head().split(":")[0]);
            // after the newest entry, whatever clock other tests wrote theirs with: the whole chain goes
            var newest = jdbc.sql("select max(occurred_at) from access_log").query(java.sql.Timestamp.class).single()
                    .toInstant();
            assertThat(access.removeOlderThan(newest.plusSeconds(1), false)).isPositive();
            assertThat(jdbc.sql("select checkpoint_seq from access_log_head").query(Long.class).single())
                    .isEqualTo(head);
            assertThat(access.verify(null).problem()).as("a cut by retention is sealed").isNull();
            tx.setRollbackOnly();
        });
    }

    @Test
    void refusesAHeadInAnotherForm() {
        assertThatThrownBy(() -> access.verify("12:nothex")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit head");
    }

    private void assertBroken(Consumer<Object> tampering, String problem) {
        assertBroken(tampering, null, problem);
    }

    private void assertBroken(Consumer<Object> tampering, String exported, String problem) {
        transactions.executeWithoutResult(tx -> {
            tampering.accept(tx);
            assertThat(access.verify(exported).problem()).contains(problem);
            tx.setRollbackOnly();
        });
        assertThat(access.verify(exported).intact()).as("rolled back").isTrue();
    }
}
