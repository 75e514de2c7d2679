package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code audit head} and {@code audit verify} as an admin runs them, beside a running application. */
@SpringBootTest
@PersistenceTest
class AuditCommandIntegrationTests {

    @Autowired
    AccessRecord access;

    @Autowired
    JdbcClient jdbc;

    @Test
    void verifyNamesTheFirstBrokenEntryAndExitsOne() {
        access.record(UUID.randomUUID(), "case.read", UUID.randomUUID().toString(), Outcome.SUCCEEDED);
        var head = CommandRun.of("audit", "head");
        assertThat(head.exit()).isZero();
        assertThat(head.out().strip()).matches("\\d+:[0-9a-f]{64}").isEqualTo(access.head());
        var seq = Long.parseLong(head.out().strip().split(":")[0]);

        var intact = CommandRun.of("audit", "verify", "--head", head.out().strip());
        assertThat(intact.exit()).as(intact.err()).isZero();
        assertThat(intact.out()).startsWith("Access record intact: ").contains(head.out().strip());

        jdbc.sql("update access_log set action = 'case.assign' where seq = ?").param(seq).update();
        try {
            var broken = CommandRun.of("audit", "verify");

            assertThat(broken.exit()).isOne();
            assertThat(broken.err()).startsWith("Access record broken: entry " + seq + " (id ")
                    .contains("does not match its hash");
        } finally {
            jdbc.sql("update access_log set action = 'case.read' where seq = ?").param(seq).update();
        }
        assertThat(CommandRun.of("audit", "verify").exit()).isZero();
    }

    @Test
    void aHeadInAnotherFormIsRefusedPlainly() {
        var result = CommandRun.of("audit", "verify", "--head", "yesterday");

        assertThat(result.exit()).isOne();
        assertThat(result.err()).startsWith("error: A head is <sequence>:<64 hex digits>");
    }

    @Test
    void helpListsTheAuditCommands() {
        var result = CommandRun.of("--help");

        assertThat(result.out()).contains("audit");
        assertThat(CommandRun.of("audit").out()).contains("verify").contains("head");
    }
}
