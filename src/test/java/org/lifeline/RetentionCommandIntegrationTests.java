package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code retention run} as an admin runs it; what exactly goes is {@code RetentionIntegrationTests}. */
@SpringBootTest
@PersistenceTest
class RetentionCommandIntegrationTests {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AccessRecord access;

    @Test
    void aDryRunListsEveryKindWithItsPeriodAndRemovesNothing() {
        var tallied = jdbc.sql("select count(*) from retention_tally").query(Long.class).single();

        var out = CommandRun.of("retention", "run", "--dry-run").out();

        assertThat(out).startsWith("Dry run: nothing removed.");
        for (var kind : new String[] {"closed-cases", "abandoned-intakes", "webchat-sessions", "inbound-updates",
                "flood-drops", "sent-outbox", "attachments", "transit-keys", "access-record", "quiet-contacts"}) {
            assertThat(out).containsPattern("(?m)^  " + kind + " +kept \\d+d +would remove \\d+");
        }
        assertThat(out).contains("kept 365d").contains("kept 730d");
        assertThat(jdbc.sql("select count(*) from retention_tally").query(Long.class).single()).isEqualTo(tallied);
    }

    @Test
    void aRunIsRecordedInTheAccessRecord() {
        var out = CommandRun.of("retention", "run").out();

        assertThat(out).startsWith("Retention run:").containsPattern("(?m)^  closed-cases +kept 365d +removed \\d+");
        assertThat(access.latest(5)).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("retention.run");
            assertThat(entry.actor()).as("a command, not an operator").isNull();
        });
        assertThat(access.verify(null).intact()).isTrue();
    }

    @Test
    void helpDescribesRetentionAndItsDryRun() {
        assertThat(CommandRun.of("--help").out()).contains("retention").contains("audit").contains("keys");
        assertThat(CommandRun.of("retention", "run", "--help").out()).contains("--dry-run");
        assertThat(CommandRun.of("keys", "--help").out()).contains("retire");
    }
}
